// Which version answers a production request: the canary for its share of callers (sticky by the x-caller-key header,
// hashed; random without one), production otherwise; and which version gets a shadow copy. The model's traffic
// settings are read from the database at most once per ALIAS_CACHE_MS, like aliases, and again as soon as another
// process announces a change (serving-changes.ts).
import { and, eq } from "drizzle-orm";
import { deploymentRoutes, modelVersions, registeredModels } from "@/db/schema";
import type { Database } from "@/db/client";
import { callerPosition } from "@/lib/canary-stats";
import { addServingListener } from "./hooks";
import { ALIAS_CACHE_MS } from "./model-server";
import { followServingChanges } from "./serving-changes";
import { isDatabaseUnavailable } from "@/db/availability";

export interface ModelTraffic {
  modelId: number;
  canary: { version: string; share: number } | null;
  shadow: { version: string } | null;
}

/** `settled`: the last answer read, kept to route by while the database cannot be reached. */
type TrafficEntry = { value: Promise<ModelTraffic | null>; until: number; settled?: ModelTraffic | null; current?: ModelTraffic | null };
const holder = globalThis as unknown as { studioTrafficCache?: Map<string, TrafficEntry>; studioTrafficListener?: boolean };
const cache = (holder.studioTrafficCache ??= new Map());
if (!holder.studioTrafficListener) {
  holder.studioTrafficListener = true;
  // Configuring traffic in this process invalidates the model, as a promotion does: the next request reads afresh.
  addServingListener({
    invalidate: (modelName) => {
      for (const key of cache.keys()) if (key.endsWith(`\u0000${modelName}`)) cache.delete(key);
    },
    // Another process changed routes: the next request reads them (one primary-key read; nothing to load ahead).
    refresh: (modelName) => {
      for (const [key, entry] of cache) if (modelName === null || key.endsWith(`\u0000${modelName}`)) entry.until = 0;
    },
    warm: async () => undefined,
  });
}
const databaseKeys = new WeakMap<Database, number>();
let nextDatabaseKey = 1;

async function readTraffic(db: Database, modelName: string): Promise<ModelTraffic | null> {
  const [model] = await db.select({ modelId: registeredModels.modelId }).from(registeredModels).where(eq(registeredModels.name, modelName));
  if (!model) return null;
  const [row] = await db.select().from(deploymentRoutes).where(eq(deploymentRoutes.modelId, model.modelId));
  const versionOf = async (versionId: number | null) => {
    if (versionId === null) return null;
    const [v] = await db.select({ version: modelVersions.version }).from(modelVersions).where(and(eq(modelVersions.versionId, versionId), eq(modelVersions.modelId, model.modelId)));
    return v ? String(v.version) : null;
  };
  const canaryVersion = row && row.canaryShare > 0 ? await versionOf(row.canaryVersionId) : null;
  const shadowVersion = row ? await versionOf(row.shadowVersionId) : null;
  return {
    modelId: model.modelId,
    canary: canaryVersion !== null && row ? { version: canaryVersion, share: row.canaryShare } : null,
    shadow: shadowVersion !== null ? { version: shadowVersion } : null,
  };
}

/** The model's canary and shadow as of at most ALIAS_CACHE_MS ago (null: no such model). */
export function trafficOf(db: Database, modelName: string): Promise<ModelTraffic | null> {
  return trafficEntry(db, modelName).value;
}

/**
 * What trafficOf would give, when its promise has settled already, so a request need not wait a turn for it;
 * undefined otherwise (then trafficOf, whose read this call started).
 */
export function trafficNow(db: Database, modelName: string): ModelTraffic | null | undefined {
  return trafficEntry(db, modelName).current;
}

function trafficEntry(db: Database, modelName: string): TrafficEntry {
  let dbKey = databaseKeys.get(db);
  if (dbKey === undefined) databaseKeys.set(db, (dbKey = nextDatabaseKey++));
  const key = `${dbKey}\u0000${modelName}`;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit;
  followServingChanges(db);
  const lastGood = hit?.settled;
  const value =
    lastGood === undefined
      ? readTraffic(db, modelName)
      : readTraffic(db, modelName).catch((error: unknown) => {
          // A database outage: route as before it (nothing can change routes meanwhile).
          if (isDatabaseUnavailable(error)) return lastGood;
          throw error;
        });
  const entry: TrafficEntry = { value, until: now + ALIAS_CACHE_MS, settled: lastGood };
  cache.set(key, entry);
  value.then(
    (traffic) => {
      entry.settled = traffic;
      entry.current = traffic;
    },
    () => {
      if (cache.get(key) === entry) cache.delete(key);
    },
  );
  return entry;
}

/** Whether this request goes to the canary: its caller key's fixed place below the share, or a coin toss without a key. */
export function routesToCanary(traffic: ModelTraffic | null, callerKey: string | null): boolean {
  const share = traffic?.canary?.share ?? 0;
  if (share <= 0) return false;
  return (callerKey ? callerPosition(callerKey) : Math.random()) < share;
}
