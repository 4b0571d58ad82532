// The web server's page while the database is unreachable (scripts/server.mjs): after a request met the database
// unreachable (db/availability.ts marks globalThis.studioDatabaseUnavailableAt), a page request first checks the
// database with one shared `select 1` and, while it does not answer, gets this 503 page (English or French, from
// messages/<locale>/outage.json) instead of Next.js's 500 error page. API routes answer their own JSON 503s.
import { readFileSync } from "node:fs";

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
const SELF_ANSWERING = /^\/(api|ajax-api|v2|_next|healthz|readyz|metrics|monaco|ort)(\/|\?|$)|^\/(icon\.svg|favicon\.ico)$/;

/** @param {string} url */
export function isSelfAnswering(url) {
  return SELF_ANSWERING.test(url);
}
const PROBE_TIMEOUT_MS = 2_000;
let probe = null;

/**
 * Whether the database answers, asked only after a request met it unreachable (globalThis.studioDatabaseUnavailableAt,
 * set by db/availability.ts): concurrent page requests share one `select 1`, and an answer clears the mark.
 */
export function databaseAnswers() {
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

export function answerOutagePage(request, res) {
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


/**
 * Answers a request with `next` (Next.js's handler), unless it is a page while the database is known to be unreachable
 * and still does not answer: then with the 503 page.
 * @param {import("node:http").IncomingMessage} request
 * @param {import("node:http").ServerResponse} res
 * @param {() => void} next
 */
export function gatePage(request, res, next) {
  if (!globalThis.studioDatabaseUnavailableAt || isSelfAnswering(request.url ?? "/")) {
    next();
    return;
  }
  void databaseAnswers().then((up) => (up ? next() : answerOutagePage(request, res)));
}
