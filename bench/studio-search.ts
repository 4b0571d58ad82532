// bench/studio-search: the command palette's search over 10,000 runs with the trigram indexes (migration 0021) vs the same search with them dropped (the scan it did before).
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { LocalArtifactStore } from "@/server/artifacts/store";
import { localActor } from "@/server/auth/actor";
import { searchStudio } from "@/server/navigation/studio-search";
import { percentile, sample, formatNumber, printTable, type BenchRow } from "./stats";
import { openPglite, openPostgres, type Backend } from "./tracking";

const RUNS = 10_000;
const ITERATIONS = 100;
const trigramIndexes = ["experiments_name_trgm_idx", "runs_name_trgm_idx", "datasets_name_trgm_idx", "registered_models_name_trgm_idx"];

async function seed(backend: Backend): Promise<void> {
  const { db } = backend.handle;
  await db.execute(sql`insert into experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
    select 'experiment-' || g || '-' || substr(md5(g::text), 1, 6), 'file:///tmp/bench', 'active', g, g from generate_series(1, 100) g`);
  await db.execute(sql`insert into runs (run_uuid, experiment_id, name, start_time, artifact_uri)
    select md5('run' || g), (select min(experiment_id) from experiments) + g % 100, 'sweep-' || g || '-' || substr(md5(g::text), 1, 8), g, 'file:///tmp/bench'
    from generate_series(1, ${RUNS}) g`);
  await db.execute(sql`analyze`);
}

/** A name part one run has (the usual palette query), and one every run has (the worst case: the index finds them all). */
async function measure(backend: Backend): Promise<{ rare: number[]; common: number[] }> {
  const ctx = { db: backend.handle.db, artifacts: new LocalArtifactStore("/tmp"), actor: localActor };
  const rare = await sample(() => searchStudio(ctx, { text: createHash("md5").update("4242").digest("hex").slice(0, 8), limitPerKind: 6 }), ITERATIONS);
  const common = await sample(() => searchStudio(ctx, { text: "sweep", limitPerKind: 6 }), ITERATIONS);
  return { rare, common };
}

export async function benchStudioSearch(only?: string[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const openers = [
    ["pglite", openPglite],
    ["postgres", openPostgres],
  ] as const;
  for (const [name, open] of openers) {
    if (only && !only.includes(name)) continue;
    const backend = await open();
    if (!backend) continue;
    try {
      await seed(backend);
      const indexed = await measure(backend);
      for (const index of trigramIndexes) await backend.handle.db.execute(sql.raw(`drop index if exists ${index}`));
      const scanned = await measure(backend);
      for (const kind of ["rare", "common"] as const) {
        const studio = percentile(indexed[kind], 50);
        const baseline = percentile(scanned[kind], 50);
        rows.push({
          backend: name,
          measure: `search p50, ${kind === "rare" ? "one run matches" : "every run matches"} (ms)`,
          studio: formatNumber(studio),
          baseline: formatNumber(baseline),
          ratio: `${(baseline / studio).toFixed(1)}x`,
          target: kind === "rare" ? "faster than the scan" : "no slower than the scan",
          verdict: kind === "rare" ? (studio < baseline ? "ok" : "SLOWER") : studio <= baseline * 1.2 ? "ok" : "SLOWER",
        });
      }
    } finally {
      await backend.dispose();
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printTable(`bench/studio-search — command palette search over ${RUNS.toLocaleString("en-US")} runs with trigram indexes vs without (a scan)`, await benchStudioSearch(process.env.BENCH_ONLY?.split(",")));
}
