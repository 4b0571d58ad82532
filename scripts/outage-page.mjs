// The web server's page while the database is unreachable (scripts/server.mjs): a 503 page (English or French, from
// messages/<locale>/outage.json) instead of Next.js's 500 error page. After a request met the database unreachable
// (db/availability.ts marks globalThis.studioDatabaseUnavailableAt), a page request first checks the database with one
// shared `select 1`; before that, a page that fails with a 5xx is checked afterwards, so the first one gets it too.
// API routes answer their own JSON 503s; this server adds Retry-After to every 503.
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
/** Seconds a client is told to wait before it tries again, on the outage page and on every 503 (RFC 9110 Retry-After). */
export const RETRY_AFTER_SECONDS = "5";
/** Where instrumentation.ts publishes its database check (db/client.ts, publishDatabaseProbe). */
const DATABASE_PROBE = Symbol.for("modelops-studio.databaseProbe");
let probe = null;

/**
 * Whether the database answers `select 1` now. Concurrent callers share one check; the answer sets or clears the
 * mark (globalThis.studioDatabaseUnavailableAt, as db/availability.ts sets it). The check opens the database if it
 * never was (a process started while it was unreachable), through the probe instrumentation.ts publishes.
 */
export function checkDatabase() {
  probe ??= (async () => {
    let timer;
    try {
      const published = globalThis[DATABASE_PROBE];
      const ask = typeof published === "function" ? published() : fallbackProbe();
      await Promise.race([ask, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), PROBE_TIMEOUT_MS)))]);
      globalThis.studioDatabaseUnavailableAt = undefined;
      return true;
    } catch {
      globalThis.studioDatabaseUnavailableAt = Date.now();
      return false;
    } finally {
      clearTimeout(timer);
      setTimeout(() => (probe = null), 250);
    }
  })();
  return probe;
}

/** Without instrumentation.ts (tests of the gate alone): the process-wide database's own client, if it has one. */
async function fallbackProbe() {
  const handle = await globalThis.studioDb;
  const client = handle?.db?.$client;
  if (client?.query) await client.query("select 1");
}

/** Whether the database answers, asked only after a request met it unreachable (the mark); otherwise assumed. */
export function databaseAnswers() {
  if (!globalThis.studioDatabaseUnavailableAt) return Promise.resolve(true);
  return checkDatabase();
}

/**
 * Every 503 this server sends says when to try again: the route handlers' JSON 503s (the database or the object
 * storage away) are written inside Next.js, which cannot reach this header's value; a 503 that sets its own keeps it.
 * @param {import("node:http").ServerResponse} res
 */
export function retryAfterOn503(res) {
  const writeHead = res.writeHead;
  res.writeHead = function (status, ...rest) {
    if (status === 503 && !this.hasHeader("retry-after")) this.setHeader("Retry-After", RETRY_AFTER_SECONDS);
    return writeHead.call(this, status, ...rest);
  };
}

/**
 * Holds a page's answer if it is a server error (5xx), checks the database, and answers the outage page instead when
 * the database does not answer; otherwise lets the held answer through unchanged. This is how the first page to meet
 * an unreachable database gets the 503 page, not Next.js's 500: nothing marked the database unreachable before it.
 * Answers under 500 pass straight through. The wrappers stay in place once installed (Next.js's compression wraps
 * these methods again after this, and calls through them), so they change mode instead of being removed.
 * @param {import("node:http").IncomingMessage} request
 * @param {import("node:http").ServerResponse} res
 */
function holdServerErrors(request, res) {
  const original = { writeHead: res.writeHead, write: res.write, end: res.end, flushHeaders: res.flushHeaders };
  /** watching: nothing sent yet; holding: a 5xx is kept back; passing: everything goes through; dropping: the outage page went instead. */
  let mode = "watching";
  /** @type {{ method: "writeHead" | "write" | "end" | "flushHeaders", args: unknown[] }[]} */
  const held = [];
  const hold = () => {
    mode = "holding";
    void checkDatabase().then((up) => {
      if (!up) {
        // The rest of Next.js's error page, if still on its way, goes nowhere.
        mode = "dropping";
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        const { headers, page } = outagePage(request);
        original.writeHead.call(res, 503, headers);
        original.end.call(res, page);
        return;
      }
      mode = "passing";
      for (const { method, args } of held.splice(0)) original[method].apply(res, args);
    });
  };
  /** What a call does now: go through, be kept back or be dropped; a first call decides from the status. */
  const route = (status) => {
    if (mode === "watching") {
      if (res.headersSent || status < 500) mode = "passing";
      else hold();
    }
    return mode;
  };
  res.writeHead = function (status, ...args) {
    const now = route(status);
    if (now === "passing") return original.writeHead.call(this, status, ...args);
    if (now === "holding") held.push({ method: "writeHead", args: [status, ...args] });
    return this;
  };
  // Next.js flushes the head before its first write.
  res.flushHeaders = function () {
    const now = route(this.statusCode);
    if (now === "passing") return original.flushHeaders.call(this);
    if (now === "holding") held.push({ method: "flushHeaders", args: [] });
  };
  res.write = function (...args) {
    const now = route(this.statusCode);
    if (now === "passing") return original.write.apply(this, args);
    if (now === "holding") held.push({ method: "write", args });
    return true;
  };
  res.end = function (...args) {
    const now = route(this.statusCode);
    if (now === "passing") return original.end.apply(this, args);
    if (now === "holding") held.push({ method: "end", args });
    return this;
  };
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The outage page for this request's reader: its headers and HTML. */
function outagePage(request) {
  const locale = outageLocale(request);
  const { title, body } = OUTAGE_MESSAGES[locale];
  const page = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`;
  const headers = {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(page),
    "Cache-Control": "no-store",
    "Retry-After": RETRY_AFTER_SECONDS,
    "X-Content-Type-Options": "nosniff",
  };
  return { headers, page };
}

export function answerOutagePage(request, res) {
  const { headers, page } = outagePage(request);
  res.writeHead(503, headers);
  res.end(page);
}

/**
 * Answers a request with `next` (Next.js's handler), unless it is a page while the database does not answer: then
 * with the 503 page. While the database is known to be unreachable (the mark), a page first checks it; otherwise a page
 * that fails with a server error is checked afterwards (holdServerErrors). API routes answer their own JSON 503s.
 * @param {import("node:http").IncomingMessage} request
 * @param {import("node:http").ServerResponse} res
 * @param {() => void} next
 */
export function gatePage(request, res, next) {
  if (isSelfAnswering(request.url ?? "/")) {
    next();
    return;
  }
  if (!globalThis.studioDatabaseUnavailableAt) {
    holdServerErrors(request, res);
    next();
    return;
  }
  void databaseAnswers().then((up) => {
    if (!up) {
      answerOutagePage(request, res);
      return;
    }
    holdServerErrors(request, res);
    next();
  });
}
