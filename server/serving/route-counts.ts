// Exact counts of a production endpoint's answers and errors, per minute, version and route: the inference log samples
// production's answers and sheds load when it falls behind, so a rate read from it is only an estimate. Counting is
// a map increment on the serving thread; the counts are added to route_counts about once a second, and put back to be
// added again when the database refuses them, so none is lost while the process lives.
import { sql } from "drizzle-orm";
import { routeCounts } from "@/db/schema";
import { onDatabaseClose, type Database } from "@/db/client";
import { redactErrorForLog } from "../auth/log-redaction";
import { onProcessShutdown, SHUTDOWN_ORDER } from "../process-shutdown";

const FLUSH_EVERY_MS = Number(process.env.STUDIO_ROUTE_COUNTS_FLUSH_MS) || 1_000;
const MINUTE_MS = 60_000;

/** The minute a moment is counted in (its start): counts are kept per whole minute, so a period's counts start there. */
export function countMinuteOf(at: number): number {
  return at - (at % MINUTE_MS);
}

type Route = "production" | "canary" | "shadow";
interface Count {
  modelId: number;
  versionId: number;
  route: Route;
  minute: number;
  requests: number;
  rows: number;
  errors: number;
}

const holder = globalThis as unknown as {
  studioRouteCounts?: { pending: Map<Database, Map<string, Count>>; watched: WeakSet<Database>; closed: WeakSet<Database>; timer: ReturnType<typeof setTimeout> | null; flushing: Promise<void> };
};
const state = (holder.studioRouteCounts ??= { pending: new Map(), watched: new WeakSet(), closed: new WeakSet(), timer: null, flushing: Promise.resolve() });

/** A database closed by its owner gets its last counts before it closes, and is then forgotten: nothing could ever
 *  receive counts kept for it, and retrying them each second would only fill the log. */
function watch(db: Database): void {
  if (state.watched.has(db)) return;
  state.watched.add(db);
  onDatabaseClose(db, async () => {
    await flushRouteCounts();
    state.closed.add(db);
    state.pending.delete(db);
  });
}

function countOf(db: Database, modelId: number, versionId: number, route: Route, minute: number): Count {
  let counts = state.pending.get(db);
  if (!counts) {
    state.pending.set(db, (counts = new Map()));
    watch(db);
    // A graceful shutdown adds the last second's counts before the database closes.
    onProcessShutdown("route counts", SHUTDOWN_ORDER.inferenceLog, flushRouteCounts);
  }
  const key = `${modelId}:${versionId}:${route}:${minute}`;
  let count = counts.get(key);
  if (!count) counts.set(key, (count = { modelId, versionId, route, minute, requests: 0, rows: 0, errors: 0 }));
  state.timer ??= setTimeout(() => void flushRouteCounts(), FLUSH_EVERY_MS);
  return count;
}

/** Counts one answer of `rows` rows given by a version on a route of its model's production endpoint. Never throws. */
export function countRouteAnswer(db: Database, answer: { modelId: number; versionId: number; route: Route; rows: number }, at = Date.now()): void {
  const count = countOf(db, answer.modelId, answer.versionId, answer.route, countMinuteOf(at));
  count.requests += 1;
  count.rows += answer.rows;
}

/** Counts one request whose answer was an error. Never throws. */
export function countRouteError(db: Database, failed: { modelId: number; versionId: number; route: Route }, at = Date.now()): void {
  countOf(db, failed.modelId, failed.versionId, failed.route, countMinuteOf(at)).errors += 1;
}

function putBack(db: Database, counts: Count[]): void {
  for (const c of counts) {
    const into = countOf(db, c.modelId, c.versionId, c.route, c.minute);
    into.requests += c.requests;
    into.rows += c.rows;
    into.errors += c.errors;
  }
}

/** Adds the counts held in memory to route_counts (the timer does it each second; tests, benches and shutdown call it). */
export function flushRouteCounts(): Promise<void> {
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = null;
  }
  const taken: [Database, Count[]][] = [...state.pending.entries()].map(([db, counts]) => [db, [...counts.values()]]);
  state.pending.clear();
  // One flush at a time: two upserts of the same key from one process would only contend with each other.
  state.flushing = state.flushing.then(() =>
    Promise.all(
      taken.map(async ([db, counts]) => {
        if (!counts.length) return;
        try {
          await db
            .insert(routeCounts)
            .values(counts)
            .onConflictDoUpdate({
              target: [routeCounts.modelId, routeCounts.versionId, routeCounts.route, routeCounts.minute],
              set: {
                requests: sql`${routeCounts.requests} + excluded.requests`,
                rows: sql`${routeCounts.rows} + excluded.rows`,
                errors: sql`${routeCounts.errors} + excluded.errors`,
              },
            });
        } catch (error) {
          // A model or version deleted meanwhile (foreign key) has nothing left to count; anything else is retried.
          if ((error as { code?: string; cause?: { code?: string } }).code === "23503" || (error as { cause?: { code?: string } }).cause?.code === "23503") return;
          if (state.closed.has(db)) return;
          putBack(db, counts);
          console.error(`[serving] could not write ${counts.length} route counts; kept to try again`, redactErrorForLog(error));
        }
      }),
    ).then(() => undefined),
  );
  return state.flushing;
}

/** A route's exact volume in [from, to): whole minutes, the one holding `from` included. */
export async function routeVolume(
  db: Database,
  w: { modelId: number; versionId: number; route: Route; from: number; to: number },
): Promise<{ requests: number; rows: number; errors: number }> {
  const [row] = await db
    .select({
      requests: sql<string | number>`coalesce(sum(${routeCounts.requests}), 0)`,
      rows: sql<string | number>`coalesce(sum(${routeCounts.rows}), 0)`,
      errors: sql<string | number>`coalesce(sum(${routeCounts.errors}), 0)`,
    })
    .from(routeCounts)
    .where(
      sql`${routeCounts.modelId} = ${w.modelId} and ${routeCounts.versionId} = ${w.versionId} and ${routeCounts.route} = ${w.route}
        and ${routeCounts.minute} >= ${countMinuteOf(w.from)} and ${routeCounts.minute} < ${w.to}`,
    );
  return { requests: Number(row?.requests ?? 0), rows: Number(row?.rows ?? 0), errors: Number(row?.errors ?? 0) };
}
