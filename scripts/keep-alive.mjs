// How long our HTTP servers keep an idle keep-alive connection open. Node's default is 5 s, the same as the idle
// timeout of Node's own HTTP agent (and close to urllib3's and browsers' reuse of a pooled socket): a client that
// reuses its pooled socket just as the server closes it gets ECONNRESET / "socket hang up" on a request the server
// never saw. Seen in the journeys under load (a model upload, an MLflow runs/create). Keeping the server's side open
// longer than any client's pool lets the client always close first, as load balancers do (AWS ALB: 60 s).
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Sets the idle keep-alive timeout, and the header timeout Node requires to be longer than it. */
export function keepConnectionsAlive(server) {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  return server;
}
