// A client that reuses a pooled connection after Node's default 5 s of idleness must reach the server, not a socket
// the server closed underneath it (ECONNRESET on a request the server never saw).
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { KEEP_ALIVE_TIMEOUT_MS, keepConnectionsAlive } from "./keep-alive.mjs";

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); })));
});

async function listen(configure: (server: http.Server) => void): Promise<{ port: number; closedByServer: () => boolean; connections: () => number }> {
  let connections = 0;
  let closed = false;
  const server = http.createServer((_req, res) => res.end("ok"));
  configure(server);
  server.on("connection", (socket: Socket) => {
    connections += 1;
    socket.on("close", () => (closed = true));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, closedByServer: () => closed, connections: () => connections };
}

function get(port: number, agent: http.Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve(body));
    }).on("error", reject);
  });
}

describe("keep-alive connections", () => {
  it("stay open past Node's 5 s default, so a pooled socket reused after 6 s idle still reaches the server", async () => {
    const kept = await listen(keepConnectionsAlive);
    const plain = await listen(() => {});
    // An agent that keeps its sockets longer than the servers' default, so only the server can close them.
    const agent = new http.Agent({ keepAlive: true, timeout: 60_000 });
    expect(await get(kept.port, agent)).toBe("ok");
    expect(await get(plain.port, agent)).toBe("ok");
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    // The plain server (Node's default) has closed its idle side: the race a client loses at exactly 5 s.
    expect(plain.closedByServer()).toBe(true);
    expect(kept.closedByServer()).toBe(false);
    expect(await get(kept.port, agent)).toBe("ok");
    expect(kept.connections()).toBe(1);
    agent.destroy();
  }, 20_000);

  it("keep the header timeout longer than the idle timeout, as Node requires", () => {
    const server = keepConnectionsAlive(http.createServer());
    expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
  });
});
