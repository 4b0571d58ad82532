// `npm run bench`: every benchmark, each next to a baseline measured in the same run, printed as tables.
// Options: BENCH_SECONDS (ingestion phase length, default 15), BENCH_ONLY=pglite|postgres,
// BENCH_DATABASE_URL (a PostgreSQL server to create a throwaway database on), BENCH_SUITES=tracking,compare,search,datasets,playground,drift,review,explanations,serving,serving-canary,team,mlflow;
// BENCH_SERVING_SECONDS (each autocannon run of bench/serving, default 5); BENCH_TRACKING_PARTS=ingestion,search,history.
import { benchCompare } from "./compare";
import { POSTGRES_COMPARE_SHAPE } from "./compare-seed";
import { benchDatasetProfile } from "./datasets-profile";
import { benchDrift } from "./drift";
import { benchExplanations } from "./explanations";
import { benchMlflow, printMlflowTable } from "./mlflow";
import { benchPiiMasking } from "./datasets-pii";
import { benchPlayground } from "./playground";
import { benchReview } from "./review";
import { benchServing } from "./serving";
import { benchServingCanary } from "./serving-canary";
import { benchTeam } from "./team";
import { benchStudioSearch } from "./studio-search";
import { benchTracking } from "./tracking";
import { printTable } from "./stats";

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(",").map((s) => s.trim());
  const suites = process.env.BENCH_SUITES?.split(",").map((s) => s.trim()) ?? ["tracking", "compare", "search", "datasets", "playground", "drift", "review", "explanations", "serving", "serving-canary", "team", "mlflow"];
  const started = performance.now();
  if (suites.includes("tracking")) await runTracking(only);
  if (suites.includes("compare")) await runCompare(only);
  if (suites.includes("search")) {
    printTable("bench/studio-search — command palette search over 10,000 runs with trigram indexes vs without (a scan)", await benchStudioSearch(only));
  }
  if (suites.includes("datasets")) await runDatasets();
  if (suites.includes("playground")) {
    printTable("bench/playground — onnxruntime-web in Chromium (single rows on the page, batches in a worker; cross-origin isolated) vs onnxruntime-node in-process, breast-cancer-rf-v1", await benchPlayground());
  }
  if (suites.includes("drift")) {
    printTable("bench/drift — per-feature drift of a serving window against its reference (monitoring rule) vs sorting both samples", await benchDrift());
  }
  if (suites.includes("review")) {
    printTable("bench/review — full acceptance evaluation of breast-cancer-rf-v1 on 100,000 resampled rows vs plain onnxruntime-node scoring of them once", await benchReview());
  }
  if (suites.includes("explanations")) {
    printTable("bench/explanations — Shapley contributions for one row of breast-cancer-rf-v1 (100 trees, 30 features) on the server and in Chromium vs the one-row prediction", await benchExplanations());
  }
  if (suites.includes("serving")) {
    printTable(
      "bench/serving — MLflow /invocations and OIP /v2 infer (next start and the standalone process) vs bare node:http and in-process onnxruntime-node, breast-cancer-rf-v1",
      await benchServing(),
    );
  }
  if (suites.includes("serving-canary")) {
    printTable("bench/serving-canary — production p99 and CPU at 1,000 req/s with a shadow of v2 copying every request (as shipped, and the same-run before named by BENCH_CANARY_BEFORE), interleaved with production alone, and with a 10% canary of v2, breast-cancer-rf v1", await benchServingCanary());
  }
  if (suites.includes("team")) {
    printTable("bench/team — serving throughput of two replicas (npm run serve ×2, one PostgreSQL) vs one, same run, same model and total connections, breast-cancer-rf-v1", await benchTeam());
  }
  if (suites.includes("mlflow")) await runMlflow();
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s; node ${process.version}; ${process.platform}/${process.arch})`);
}

async function runTracking(only: string[] | undefined): Promise<void> {
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
}

async function runMlflow(): Promise<void> {
  const rows = await benchMlflow({
    seconds: Number(process.env.BENCH_SECONDS ?? 15),
    clients: 4,
    batchSize: 1000,
    searchRuns: 1000,
    searchIterations: 50,
    historyPoints: 100_000,
    historyIterations: 5,
  });
  printMlflowTable("bench/mlflow — the real MLflow 2.9 server (sqlite, 2 workers) vs the studio as `npm start` runs it, same fetch load; ratio = how many times better the studio is", rows);
}

async function runCompare(only: string[] | undefined): Promise<void> {
  const compare = await benchCompare(
    {
      // PostgreSQL keeps this seed between runs (database modelops_bench_compare); bump its version when the data changes.
      postgres: POSTGRES_COMPARE_SHAPE,
      // PGlite is seeded afresh each run and single-threaded: one metric × 2,000 steps and 20,000 table runs keep it under a minute.
      pglite: { version: 1, runs: 100, metricKeys: ["loss"], steps: 2_000, tableRuns: 20_000 },
      chartKey: "loss",
      maxPoints: 1000,
      chartIterations: 20,
      tableIterations: 50,
      browserNavigations: Number(process.env.BENCH_COMPARE_NAVIGATIONS ?? 10),
    },
    only,
  );
  printTable("bench/compare — compare charts and the runs table on long training runs vs bare SQL on the same database", compare);
}

async function runDatasets(): Promise<void> {
  printTable("bench/datasets — profiling a 1,000,000 × 20 CSV with DuckDB vs a naive single-pass streaming JS profiler", await benchDatasetProfile());
  printTable("bench/datasets — PII scan + masking of a 1,000,000-row CSV vs parsing it alone and reading it", await benchPiiMasking());
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
