// /healthz, /readyz and /metrics, transport-neutral: the Next.js routes and the standalone serving process answer with these.
import { createHash, timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { isDatabaseUnavailable, unavailabilityReason } from "@/db/availability";
import { resolveActor, type RequestLike } from "../auth/authenticate";
import { redactErrorForLog } from "../auth/log-redaction";
import { authorize } from "../auth/permissions";
import { DomainError, toDomainError } from "../errors";
import { countJobsByState } from "../jobs/queue";
import { observeJobCounts, renderMetrics } from "./metrics";
import { getObjectStorage } from "../service-context";

export interface OperationsAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_HEADERS = { "content-type": "application/json", "cache-control": "no-store" } as const;

function jsonAnswer(status: number, value: unknown): OperationsAnswer {
  return { status, headers: { ...JSON_HEADERS }, body: JSON.stringify(value) };
}

/** Liveness: the process runs its event loop. Nothing else is checked, so a slow database never restarts it. */
export function livenessAnswer(): OperationsAnswer {
  return jsonAnswer(200, { status: "ok" });
}

/** How long readiness waits for the database before calling it unavailable. */
const READINESS_TIMEOUT_MS = Number(process.env.STUDIO_READINESS_TIMEOUT_MS) || 2_000;

/** What is wrong with the configured object storage (STUDIO_ARTIFACTS=s3://...), or null when it answers or none is configured. */
async function objectStorageProblemNow(): Promise<string | null> {
  try {
    return (await getObjectStorage()?.problem()) ?? null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Readiness: the database answers `select 1` in time and the object storage's bucket (when one is configured) answers;
 * 503 with a message (and no internals: the bucket, endpoint and cause go to the log) when either does not.
 */
export async function readinessAnswer(
  database: () => Promise<Database>,
  objectStorageProblem: () => Promise<string | null> = objectStorageProblemNow,
): Promise<OperationsAnswer> {
  const storage = await objectStorageProblem();
  if (storage) {
    console.error(JSON.stringify({ time: new Date().toISOString(), level: "error", msg: "readiness check failed", error: storage }));
    return jsonAnswer(503, {
      status: "unavailable",
      message: "The object storage (STUDIO_ARTIFACTS) is missing, refuses access or does not answer; the process is not ready to take requests. The server log says why.",
    });
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`)), READINESS_TIMEOUT_MS);
    });
    await Promise.race([(async () => (await database()).execute(sql`select 1`))(), timeout]);
    return jsonAnswer(200, { status: "ready" });
  } catch (error) {
    console.error(JSON.stringify({ time: new Date().toISOString(), level: "error", msg: "readiness check failed", error: String(redactErrorForLog(error)) }));
    // The reason names the failure (refused, restarting, timed out), never the connection string or its password.
    const reason = isDatabaseUnavailable(error) ? unavailabilityReason(error) : /no answer within/.test(String((error as Error)?.message)) ? `no answer within ${READINESS_TIMEOUT_MS} ms` : "the check failed";
    return jsonAnswer(503, { status: "unavailable", reason: `database: ${reason}`, message: `The database does not answer (${reason}); the process is not ready to take requests.` });
  } finally {
    clearTimeout(timer);
  }
}

function sameSecret(given: string, expected: string): boolean {
  // Hashes first: equal lengths for timingSafeEqual, and no early exit on the first differing character.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Whether the request may read the metrics: STUDIO_METRICS_TOKEN as a bearer, or an actor with operations.metrics (admins). */
async function authorizeScrape(request: RequestLike, database: () => Promise<Database>): Promise<void> {
  const metricsToken = process.env.STUDIO_METRICS_TOKEN;
  const bearer = /^bearer\s+(\S+)$/i.exec(request.headers.get("authorization")?.trim() ?? "")?.[1];
  if (metricsToken && bearer && sameSecret(bearer, metricsToken)) return;
  const actor = await resolveActor(request, await database());
  if (!actor) {
    throw new DomainError(
      "UNAUTHENTICATED",
      "Authentication required: send 'Authorization: Bearer <STUDIO_METRICS_TOKEN>' or an admin's API token (see the README's Operations section).",
    );
  }
  authorize(actor, "operations.metrics");
}

/** The Prometheus exposition for an authorised scraper; a JSON error that says what to send otherwise. */
export async function metricsAnswer(request: RequestLike, database: () => Promise<Database>): Promise<OperationsAnswer> {
  try {
    await authorizeScrape(request, database);
    // Jobs by state are the shared table's, read at scrape time; a database away leaves them out, not the scrape.
    observeJobCounts(await database().then(countJobsByState).catch(() => null));
    const { body, contentType } = await renderMetrics();
    return { status: 200, headers: { "content-type": contentType, "cache-control": "no-store" }, body };
  } catch (error) {
    const domain = toDomainError(error);
    return jsonAnswer(domain.httpStatus, { error_code: domain.code, message: domain.message });
  }
}
