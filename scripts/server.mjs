// The production server: Next.js's request handler behind a check it cannot make itself. A request path with a
// malformed or non-UTF-8 percent-escape (`/api/2.0/mlflow/%zz`, `/v2/%ED%A0%80`) fails Next.js's route matching
// before any of our handlers or proxy.ts run, and an app-only build then has no error page to render: it answered
// a bare 500. Here such paths get a JSON 400 that says what to fix; every other request goes to Next.js unchanged.
import http from "node:http";
import { readFileSync } from "node:fs";
import { installGracefulShutdown } from "./graceful-shutdown.mjs";

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

const MALFORMED_PATH_BODY = JSON.stringify({
  error_code: "INVALID_PARAMETER_VALUE",
  message:
    "The request path is not valid: it holds a malformed percent-escape (e.g. '%zz') or one that is not UTF-8. Encode each path segment with encodeURIComponent.",
});

/** The outage page's text per language (messages/<locale>/outage.json, like every UI string). */
const OUTAGE_MESSAGES = {
  en: JSON.parse(readFileSync(new URL("../messages/en/outage.json", import.meta.url), "utf8")),
  fr: JSON.parse(readFileSync(new URL("../messages/fr/outage.json", import.meta.url), "utf8")),
};

/** The page's language as lib/i18n/locales.ts chooses it: the studio_locale cookie, else Accept-Language, else English. */
function outageLocale(request) {
  const cookie = /(?:^|;\s*)studio_locale=(en|fr)(?:;|$)/.exec(request.headers.cookie ?? "")?.[1];
  if (cookie) return cookie;
  const ranked = (request.headers["accept-language"] ?? "")
    .split(",")
    .map((part, order) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { language: tag.trim().toLowerCase().split("-")[0], weight: q ? Number(q.slice(2)) || 0 : 1, order };
    })
    .filter((entry) => entry.weight > 0 && (entry.language === "en" || entry.language === "fr"))
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  return ranked[0]?.language ?? "en";
}

/** Paths that answer for themselves while the database is down (JSON 503s, probes, static files). */
const SELF_ANSWERING = /^\/(api|ajax-api|v2|_next|healthz|readyz|metrics|monaco|ort)(\/|$)|^\/(icon\.svg|favicon\.ico)$/;
const PROBE_TIMEOUT_MS = 2_000;
let probe = null;

/**
 * Whether the database answers, asked only after a request met it unreachable (globalThis.studioDatabaseUnavailableAt,
 * set by db/availability.ts): concurrent page requests share one `select 1`, and an answer clears the mark.
 */
function databaseAnswers() {
  if (!globalThis.studioDatabaseUnavailableAt) return Promise.resolve(true);
  probe ??= (async () => {
    let timer;
    try {
      const handle = await globalThis.studioDb;
      const client = handle?.db?.$client;
      if (!client?.query) return true;
      await Promise.race([client.query("select 1"), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), PROBE_TIMEOUT_MS)))]);
      globalThis.studioDatabaseUnavailableAt = undefined;
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      setTimeout(() => (probe = null), 250);
    }
  })();
  return probe;
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function answerOutage(request, res) {
  const locale = outageLocale(request);
  const { title, body } = OUTAGE_MESSAGES[locale];
  const page = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`;
  res.writeHead(503, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(page),
    "Cache-Control": "no-store",
    "Retry-After": "5",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(page);
}

export async function startServer({ port, hostname, gracefulShutdown = true }) {
  const app = next({ dev: false, port, hostname });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => {
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
    // A page while the database is known to be unreachable: a 503 page that says so, not Next.js's 500 error page.
    if (globalThis.studioDatabaseUnavailableAt && !SELF_ANSWERING.test(req.url ?? "/")) {
      void databaseAnswers().then((up) => (up ? handle(req, res) : answerOutage(req, res)));
      return;
    }
    handle(req, res);
  });
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
