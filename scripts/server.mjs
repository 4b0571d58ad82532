// The production server: Next.js's request handler behind a check it cannot make itself. A request path with a
// malformed or non-UTF-8 percent-escape (`/api/2.0/mlflow/%zz`, `/v2/%ED%A0%80`) fails Next.js's route matching
// before any of our handlers or proxy.ts run, and an app-only build then has no error page to render: it answered
// a bare 500. Here such paths get a JSON 400 that says what to fix; every other request goes to Next.js unchanged.
import http from "node:http";
import { gatePage, retryAfterOn503 } from "./outage-page.mjs";
import { installGracefulShutdown } from "./graceful-shutdown.mjs";
import { createOrtWasmServer } from "./ort-wasm.mjs";
import { createStaticGzipServer } from "./static-gzip.mjs";
import { keepConnectionsAlive } from "./keep-alive.mjs";

// As `next start` does: a custom server must say it runs the production build before Next.js loads.
process.env.NODE_ENV ??= "production";
// Only the studio's own lines on the console (`npm start` sets it too, for its build).
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const { default: next } = await import("next");

/** True when the path part of a request target holds a percent-escape that does not decode. */
export function hasMalformedEscape(requestTarget) {
  const path = requestTarget.split("?", 1)[0];
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/** Where instrumentation.ts publishes the direct MLflow endpoints (server/http/direct-mlflow-reads.ts, DIRECT_HANDLER_KEY). */
const DIRECT_MLFLOW_READS = Symbol.for("modelops-studio.directMlflowReads");

const MALFORMED_PATH_BODY = JSON.stringify({
  error_code: "INVALID_PARAMETER_VALUE",
  message:
    "The request path is not valid: it holds a malformed percent-escape (e.g. '%zz') or one that is not UTF-8. Encode each path segment with encodeURIComponent.",
});

export async function startServer({ port, hostname, gracefulShutdown = true }) {
  const app = next({ dev: false, port, hostname });
  const handle = app.getRequestHandler();
  await app.prepare();
  // The playground's 14 MB ORT wasm, gzipped once instead of by Next.js per request (scripts/ort-wasm.mjs).
  const ortWasm = createOrtWasmServer();
  // The build's JS and CSS chunks, gzipped once instead of by Next.js per request (scripts/static-gzip.mjs).
  const staticChunks = createStaticGzipServer();
  const server = http.createServer((req, res) => {
    retryAfterOn503(res);
    if (hasMalformedEscape(req.url ?? "/")) {
      res.writeHead(400, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": Buffer.byteLength(MALFORMED_PATH_BODY),
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      });
      res.end(MALFORMED_PATH_BODY);
      return;
    }
    // The MLflow API's runs/search, metrics/get-history, runs/log-batch and runs/log-metric, when instrumentation.ts
    // has published their handler (server/http/direct-mlflow-reads.ts): Next.js's routing cost the reads as much as
    // their database work, and every training loop's batches paid it too.
    const direct = globalThis[DIRECT_MLFLOW_READS];
    if (typeof direct === "function" && direct(req, res)) return;
    if (ortWasm.handle(req, res)) return;
    if (staticChunks.handle(req, res)) return;
    // A page while the database is unreachable: a 503 page that says so, not Next.js's 500 error page.
    gatePage(req, res, () => handle(req, res));
  });
  keepConnectionsAlive(server);
  await new Promise((resolve) => server.listen(port, hostname, resolve));
  console.log(`[studio] ready on http://${hostname ?? "localhost"}:${port}`);
  // SIGTERM/SIGINT: stop accepting, finish the requests in flight, write the inference log, close the database.
  if (gracefulShutdown) installGracefulShutdown(server, { name: "studio" });
  return server;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const portFlag = process.argv.indexOf("-p");
  const port = Number(portFlag > 0 ? process.argv[portFlag + 1] : (process.env.PORT ?? 3000));
  await startServer({ port, hostname: process.env.HOSTNAME || undefined });
}
