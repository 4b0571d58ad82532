// A-B comparison of the standalone serving process's per-request cost between source trees, on a loaded machine:
// `npx tsx bench/serving-ab.ts <tree A> <tree B> …` prepares one throwaway PostgreSQL database (as bench/serving
// does), then, AB_ROUNDS times (default 3), for each tree in turn: starts `server/serving/standalone.ts` from that
// tree (its own tsx and node_modules), warms both paths up, drives `/v2/…/infer` and `/invocations` at batch 1 with
// autocannon for AB_SECONDS (default 5) each (which goes first alternates by round), and reads the main thread's CPU
// time per request from /proc (bench/serving-cpu.ts), with the inference log's cost beside it (its writer thread and its
// PostgreSQL backend, µs per request); the bare node:http server (this tree's
// bench/serving-bare-server.ts) runs in every round too. Interleaving the trees round by round puts them in the same
// window of whatever else the machine runs; CPU per request is the steadier figure, req/s the target's. The inference
// log is on (the default) unless AB_SAMPLE_RATE says otherwise. A tree other than this one: `git archive <commit>`
// into a folder with a `node_modules` link to this one's. AB_DATABASE_PER_TREE=1 gives each tree a database (and data
// folder) prepared by its own code and migrations, for trees whose schemas differ (a tree's server would otherwise
// migrate the shared database for the others).
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { prepareDataDir, throwawayPostgres, setLogSampleRate } from "./serving";
import { meterCpu } from "./serving-cpu";
import { freePort } from "./studio-server";

/** Seconds each path is driven before a tree's measured runs. */
const WARM_UP_SECONDS = 2;

type Autocannon = (options: Record<string, unknown>) => Promise<{ requests: { average: number; total: number }; non2xx: number; errors: number }>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

interface Started {
  child: ChildProcess;
  pid: number;
}

/** Starts a script under `tree`'s tsx with node itself as the child (no tsx CLI in between), so its pid is the server's. */
async function start(tree: string, script: string, env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ["--import", path.join(tree, "node_modules", "tsx", "dist", "loader.mjs"), script], {
    cwd: tree,
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (/listening|ready/.test(output)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`${script} in ${tree} exited with ${code}`)));
  });
  return { child, pid: child.pid! };
}

async function stop(started: Started): Promise<void> {
  if (started.child.exitCode !== null) return;
  const exited = new Promise((resolve) => started.child.once("exit", resolve));
  started.child.kill("SIGTERM");
  await exited;
}

interface Driven {
  reqPerSec: number;
  /** µs per request: the serving thread, the whole process, the log's writer thread, the log's PostgreSQL backend. */
  mainUs: number;
  processUs: number;
  logWriterUs: number;
  logBackendUs: number;
  failed: number;
}

async function drive(pid: number, url: string, body: string, token: string, seconds: number, databaseUrl: string | null): Promise<Driven> {
  const options = { url, method: "POST", body, headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, connections: 10 };
  await autocannon({ ...options, duration: 1 });
  const meter = await meterCpu(pid, databaseUrl);
  const result = await autocannon({ ...options, duration: seconds });
  const cpu = meter ? await meter(result.requests.total) : null;
  return {
    reqPerSec: result.requests.average,
    mainUs: cpu?.mainUs ?? NaN,
    processUs: cpu?.processUs ?? NaN,
    logWriterUs: cpu?.logWriterUs ?? NaN,
    logBackendUs: cpu?.postgresLogUs ?? NaN,
    failed: result.non2xx + result.errors,
  };
}

/** The bench's model and token in a fresh data folder and database, prepared by `tree`'s own code and migrations. */
async function prepareInTree(tree: string, dataDir: string, databaseUrl: string): Promise<string> {
  const script = `import { prepareDataDir } from "./bench/serving.ts"; console.log("token " + (await prepareDataDir(${JSON.stringify(dataDir)}, ${JSON.stringify(databaseUrl)}))); process.exit(0);`;
  const child = spawn(process.execPath, ["--import", path.join(tree, "node_modules", "tsx", "dist", "loader.mjs"), "--input-type=module", "-e", script], {
    cwd: tree,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const token = /^token (\S+)$/m.exec(output)?.[1];
  if (code !== 0 || !token) throw new Error(`preparing ${tree}'s database failed (exit ${code})`);
  return token;
}

async function main(): Promise<void> {
  const trees = process.argv.slice(2).map((t) => path.resolve(t));
  if (!trees.length) throw new Error("usage: npx tsx bench/serving-ab.ts <tree> [<tree> …]");
  const rounds = Number(process.env.AB_ROUNDS ?? 3);
  const seconds = Number(process.env.AB_SECONDS ?? 5);
  const postgres = await throwawayPostgres();
  if (!postgres) throw new Error("bench/serving-ab needs PostgreSQL (BENCH_DATABASE_URL / TEST_DATABASE_URL)");
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "studio-serving-ab-"));
  /** The databases and data folders made for AB_DATABASE_PER_TREE, dropped at the end. */
  const perTree: { drop(): Promise<void> }[] = [];
  try {
    await chmod(dataDir, 0o755);
    const token = await prepareDataDir(dataDir, postgres.url);
    if (process.env.AB_SAMPLE_RATE) await setLogSampleRate(postgres.url, Number(process.env.AB_SAMPLE_RATE));
    /** Where each tree's server runs: the shared database, or (AB_DATABASE_PER_TREE) one of its own. */
    const setups = new Map<string, { url: string; dataDir: string; token: string }>();
    for (const tree of trees) {
      if (process.env.AB_DATABASE_PER_TREE !== "1") {
        setups.set(tree, { url: postgres.url, dataDir, token });
        continue;
      }
      const own = await throwawayPostgres();
      if (!own) throw new Error("AB_DATABASE_PER_TREE needs PostgreSQL");
      perTree.push(own);
      const ownDir = await mkdtemp(path.join(os.tmpdir(), "studio-serving-ab-"));
      await chmod(ownDir, 0o755);
      perTree.push({ drop: () => rm(ownDir, { recursive: true, force: true }) });
      const ownToken = await prepareInTree(tree, ownDir, own.url);
      if (process.env.AB_SAMPLE_RATE) await setLogSampleRate(own.url, Number(process.env.AB_SAMPLE_RATE));
      setups.set(tree, { url: own.url, dataDir: ownDir, token: ownToken });
    }
    const row = (await readFile("fixtures/datasets/breast_cancer.test.csv", "utf8")).trim().split("\n")[1]!.split(",").slice(0, 30).map(Number);
    const mlflow = JSON.stringify({ inputs: [row] });
    const oip = JSON.stringify({ inputs: [{ name: "input", shape: [1, 30], datatype: "FP32", data: row }] });
    const results = new Map<string, { v2: number[]; v2Us: number[]; inv: number[]; invUs: number[]; v2Log: number[]; invLog: number[] }>();
    /** µs per request of the log's writer thread and its PostgreSQL backend together. */
    const logUs = (d: Driven) => d.logWriterUs + d.logBackendUs;
    const record = (name: string, v2: Driven, inv: Driven) => {
      const r = results.get(name) ?? { v2: [], v2Us: [], inv: [], invUs: [], v2Log: [], invLog: [] };
      r.v2.push(v2.reqPerSec);
      r.v2Us.push(v2.mainUs);
      r.inv.push(inv.reqPerSec);
      r.invUs.push(inv.mainUs);
      r.v2Log.push(logUs(v2));
      r.invLog.push(logUs(inv));
      results.set(name, r);
    };
    const logged = (d: Driven) =>
      `process ${Math.round(d.processUs)}, log writer ${Math.round(d.logWriterUs)} + its backend ${Math.round(d.logBackendUs)} µs`;
    for (let round = 0; round < rounds; round++) {
      const port = await freePort();
      const bare = await start(process.cwd(), "bench/serving-bare-server.ts", { BARE_PORT: String(port) });
      try {
        const v2 = await drive(bare.pid, `http://127.0.0.1:${port}/`, mlflow, token, seconds, null);
        record("bare node:http", v2, v2);
        console.log(`round ${round + 1} bare: ${Math.round(v2.reqPerSec)} req/s, ${Math.round(v2.mainUs)} µs main thread; load ${os.loadavg()[0]!.toFixed(1)}`);
      } finally {
        await stop(bare);
      }
      // Alternate the trees' order each round, so neither always runs right after the bare server.
      const order = round % 2 === 0 ? trees : [...trees].reverse();
      for (const tree of order) {
        const servingPort = await freePort();
        const setup = setups.get(tree)!;
        const server = await start(tree, "server/serving/standalone.ts", { STUDIO_DATA_DIR: setup.dataDir, DATABASE_URL: setup.url, STUDIO_SERVING_PORT: String(servingPort) });
        try {
          const v2Url = `http://127.0.0.1:${servingPort}/v2/models/breast-cancer-rf-v1/infer`;
          const invUrl = `http://127.0.0.1:${servingPort}/api/serve/breast-cancer-rf-v1/invocations`;
          // Both paths warmed up (JIT, the model's session) before either is measured; which goes first alternates.
          await drive(server.pid, v2Url, oip, setup.token, WARM_UP_SECONDS, null);
          await drive(server.pid, invUrl, mlflow, setup.token, WARM_UP_SECONDS, null);
          const v2First = round % 2 === 0;
          const [firstUrl, firstBody, secondUrl, secondBody] = v2First ? [v2Url, oip, invUrl, mlflow] : [invUrl, mlflow, v2Url, oip];
          const first = await drive(server.pid, firstUrl, firstBody, setup.token, seconds, setup.url);
          const second = await drive(server.pid, secondUrl, secondBody, setup.token, seconds, setup.url);
          const [v2, inv] = v2First ? [first, second] : [second, first];
          if (v2.failed || inv.failed) console.log(`  ${tree}: ${v2.failed + inv.failed} failed requests`);
          record(tree, v2, inv);
          console.log(
            `round ${round + 1} ${tree}: /v2 ${Math.round(v2.reqPerSec)} req/s ${Math.round(v2.mainUs)} µs (${logged(v2)}) · /invocations ${Math.round(inv.reqPerSec)} req/s ${Math.round(inv.mainUs)} µs (${logged(inv)}); load ${os.loadavg()[0]!.toFixed(1)}`,
          );
        } finally {
          await stop(server);
        }
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const bareV2 = median(results.get("bare node:http")!.v2);
    console.log(`\nmedians of ${rounds} rounds (${seconds} s each), batch 1, main-thread CPU per request:`);
    for (const [name, r] of results) {
      const share = (v: number) => `${((100 * v) / bareV2).toFixed(1)}% of bare`;
      const log = (values: number[]) => (values.every(Number.isNaN) ? "" : `, log ${Math.round(median(values))} µs`);
      console.log(
        `  ${name}: /v2 ${Math.round(median(r.v2))} req/s (${share(median(r.v2))}) ${Math.round(median(r.v2Us))} µs${log(r.v2Log)} · /invocations ${Math.round(median(r.inv))} req/s (${share(median(r.inv))}) ${Math.round(median(r.invUs))} µs${log(r.invLog)}`,
      );
    }
  } finally {
    for (const own of perTree) await own.drop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
    await postgres.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
