// `npm run bench`: every benchmark, each next to a baseline measured in the same run, printed as tables.
// Options: BENCH_SECONDS (ingestion phase length, default 15), BENCH_ONLY=pglite|postgres,
// BENCH_DATABASE_URL (a PostgreSQL server to create a throwaway database on).
import { benchTracking } from "./tracking";
import { printTable } from "./stats";

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
  const started = performance.now();
  const tracking = await benchTracking(
    {
      seconds: Number(process.env.BENCH_SECONDS ?? 15),
      clients: 4,
      batchSize: 1000,
      searchRuns: 10_000,
      searchIterations: 200,
      historyPoints: 100_000,
      historyIterations: 20,
    },
    only,
  );
  printTable("bench/tracking — MLflow tracking API over HTTP with token auth vs bare SQL on the same database", tracking);
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s; node ${process.version}; ${process.platform}/${process.arch})`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
