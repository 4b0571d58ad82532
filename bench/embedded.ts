// bench/embedded: the studio's MLflow API on the two embedded databases in one run — PGlite (WebAssembly in the
// studio's process) and the embedded PostgreSQL (`npm start`'s default) — each measure beside its bare-SQL baseline
// on the same database (bench/tracking's measures, smaller: a quick same-run comparison of the two defaults).
// `npx tsx bench/embedded.ts`; BENCH_SECONDS sets each ingestion phase (default 8).
import { benchTracking } from "./tracking";
import { printTable } from "./stats";

const rows = await benchTracking(
  {
    seconds: Number(process.env.BENCH_SECONDS ?? 8),
    clients: 4,
    batchSize: 1000,
    searchRuns: 1_000,
    searchIterations: 50,
    historyPoints: 10_000,
    historyIterations: 10,
  },
  ["pglite", "embedded"],
);
printTable("bench/embedded — MLflow tracking API on PGlite vs the embedded PostgreSQL, same run (bare SQL baseline per database)", rows);
