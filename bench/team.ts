// bench/team: serving throughput of two replicas (`npm run serve` twice, as in the team topology) against one, in the
// same run, on the same database and model (breast-cancer-rf-v1, production alias). The load is spread over the
// replicas by the client (as the proxy's round robin would), with the same total connections in both cases, so the
// comparison is the replicas', not the load generator's. Batch 1 (transport bound) and batch 100 (compute bound).
// On a machine with fewer cores than replicas + load generator the second replica has little to gain: the table
// prints the core count beside the numbers.
import { createRequire } from "node:module";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { prepareDataDir, spawnTsx, throwawayPostgres } from "./serving";
import { formatNumber, type BenchRow } from "./stats";
import { freePort } from "./studio-server";

const MODEL = "breast-cancer-rf-v1";
/** Total connections, split evenly over the replicas. */
const CONNECTIONS = 16;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

interface Spread {
  reqPerSec: number;
  p50: number;
  p99: number;
  failed: number;
}

/** autocannon against each URL at once, CONNECTIONS / urls.length connections each; req/s summed, latency of the worst. */
async function spreadLoad(urls: string[], body: string, token: string, seconds: number): Promise<Spread> {
  const results = await Promise.all(
    urls.map((url) =>
      autocannon({
        url,
        method: "POST",
        body,
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        connections: CONNECTIONS / urls.length,
        duration: seconds,
      }),
    ),
  );
  return {
    reqPerSec: results.reduce((sum, r) => sum + r.requests.total / r.duration, 0),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    failed: results.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
  };
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

export async function benchTeam(): Promise<BenchRow[]> {
  const seconds = Number(process.env.BENCH_SERVING_SECONDS ?? 5);
  const csv = (await readFile("fixtures/datasets/breast_cancer.test.csv", "utf8")).trim().split("\n").slice(1);
  const allRows = csv.map((line) => line.split(",").slice(0, 30).map(Number));
  const bodyOf = (batch: number) => JSON.stringify({ inputs: Array.from({ length: batch }, (_, i) => allRows[i % allRows.length]!) });

  const dataDir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-team-"));
  await chmod(dataDir, 0o755);
  // Replicas share a database (as in a team); PGlite belongs to one process, so this needs PostgreSQL.
  const postgres = await throwawayPostgres();
  if (!postgres) throw new Error("bench/team needs PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL, default 127.0.0.1:5432): replicas share one database.");
  const rows: BenchRow[] = [];
  const replicas: Awaited<ReturnType<typeof spawnTsx>>[] = [];
  try {
    const token = await prepareDataDir(dataDir, postgres.url);
    const urls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      console.log(`[bench] team: starting serving replica ${i + 1} (npm run serve, port ${port})…`);
      replicas.push(await spawnTsx("server/serving/standalone.ts", { STUDIO_DATA_DIR: dataDir, DATABASE_URL: postgres.url, STUDIO_SERVING_PORT: String(port) }, /\[serving\] listening/));
      urls.push(`http://127.0.0.1:${port}/api/serve/${MODEL}/invocations`);
    }
    for (const batch of [1, 100]) {
      const body = bodyOf(batch);
      // Warm-up of both replicas: model load, JIT.
      await spreadLoad(urls, body, token, 2);
      console.log(`[bench] team: batch ${batch}, one replica…`);
      const one = await spreadLoad(urls.slice(0, 1), body, token, seconds);
      console.log(`[bench] team: batch ${batch}, two replicas…`);
      const two = await spreadLoad(urls, body, token, seconds);
      const describe = (s: Spread) =>
        `${formatNumber(s.reqPerSec, 0)} req/s · ${formatNumber(s.reqPerSec * batch, 0)} rows/s · p50 ${ms(s.p50)} / p99 ${ms(s.p99)}${s.failed ? ` · ${s.failed} failed` : ""}`;
      const ratio = two.reqPerSec / one.reqPerSec;
      rows.push({
        backend: `2 replicas vs 1 (${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})`,
        measure: `/api/serve/…/invocations, batch ${batch}, ${CONNECTIONS} connections`,
        studio: describe(two),
        baseline: describe(one),
        ratio: `${ratio.toFixed(2)}×`,
        target: "—",
        verdict: one.failed + two.failed > 0 ? "FAILED REQUESTS" : "info",
      });
    }
  } finally {
    for (const replica of replicas) await replica.stop();
    await rm(dataDir, { recursive: true, force: true });
    await postgres.drop();
  }
  return rows;
}
