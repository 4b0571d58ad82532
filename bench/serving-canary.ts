// bench/serving-canary: what a shadow and a canary cost production's callers. Two standalone serving processes on one
// PostgreSQL database answer MLflow /invocations (batch 1) at a fixed, evenly paced 1,000 req/s: one as shipped (the
// shadow scored on its own thread, that thread and the log's writer in SCHED_IDLE at niceness 19, the log writer's
// PostgreSQL backend at normal priority), the other the same-run comparison named by BENCH_CANARY_BEFORE:
// `backend-idle` (default; STUDIO_LOG_BACKEND_POLICY=idle: the log backend in SCHED_IDLE too, the operator's opt-in),
// `nice-only` (STUDIO_BACKGROUND_THREAD_POLICY=normal: the off-path threads at niceness 19, not SCHED_IDLE),
// `normal-priority` (also STUDIO_BACKGROUND_THREAD_NICE=0: at the process's priority), `batch-20ms`
// (STUDIO_SHADOW_BATCH_DELAY_MS=20: copies sent to the scoring thread every 20 ms, the default before 50) or
// `main-scorer` (also STUDIO_SHADOW_SCORER=main: copies scored on the serving thread); all but the first leave
// the log backend at normal priority. V8 flags as shipped otherwise: `semi-space-32`, `semi-space-64`
// (--max-semi-space-size), `semi-space-min-16`, `semi-space-min-64` (the young generation that large from the
// start), `single-threaded-gc`, `semi-space-64-single-gc`; `copy-at-send`
// (STUDIO_SHADOW_COPY=at-send: each copy's parse kept until its batch is sent, not its cells stacked as it is
// queued). Several arms, comma-separated, run one process each in the same run
// (e.g. BENCH_CANARY_BEFORE=semi-space-32,semi-space-64,single-threaded-gc).
// Each phase is traced (server/serving/stall-trace.mjs; BENCH_STALL_TRACE=0 turns it off) and its slow answers are
// put down to what overlapped them (bench/shadow-stalls.ts): one console block per phase, one table row per process.
// Production alone and with a shadow of v2 on every request are interleaved, ROUNDS pairs per process
// (BENCH_CANARY_ROUNDS, at least 3; BENCH_SERVING_SECONDS per phase), and reported per pair (the difference) and per
// arm (the median of the rounds' p99 and the p99 of all the arm's answers pooled), with the spread of the rounds'
// "alone" p99 as the noise a difference must clear. Then v2 on a 10% canary (approved through the review gate first,
// as the product requires; callers vary their x-caller-key over 1,000 keys, so the canary's share is sticky per
// caller), against production alone sending the same caller keys.
// Target: p99 with a shadow within +1 ms of production alone (issue 20). Also counted: shadow copies scored and logged,
// canary answers (x-model-route), and CPU per 1,000 requests — the serving thread's (where requests wait), the whole
// process's (its threads: the shadow's scorer, the log's writer) and the bench database's PostgreSQL backends — which
// is steadier than p99 on a shared, loaded machine.
import { createReadStream } from "node:fs";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "@/db/client";
import { LocalArtifactStore } from "@/server/artifacts/store";
import { createUserAsSystem } from "@/server/auth/accounts";
import { systemActor, type Actor } from "@/server/auth/actor";
import { zCreateUser } from "@/server/auth/schema";
import { waitForDatasetJobs } from "@/server/datasets/profile-jobs";
import { registerDatasetVersion } from "@/server/datasets/register-version";
import { configureTraffic } from "@/server/deployments/traffic";
import { stopJobRunners } from "@/server/jobs/runner";
import { registerOnnxUpload } from "@/server/registry/onnx-versions";
import { waitForReviewJobs } from "@/server/review/review-jobs";
import { decideReview, getReview, requestReview } from "@/server/review/reviews";
import { defaultCriteria } from "@/server/review/schema";
import { percentile } from "@/lib/percentile";
import { pacedLoad, type PacedTimeline } from "./paced-load";
import { formatNumber, type BenchRow } from "./stats";
import { prepareDataDir, spawnTsx, throwawayPostgres } from "./serving";
import { meterCpu, nodeProcessOf, type CpuPerRequest } from "./serving-cpu";
import { freePort } from "./studio-server";
import { attributeStalls, describePhase, readTrace, STALL_MS, startPhaseProbe, summariseArm, type PhaseStalls } from "./shadow-stalls";

const MODEL = "breast-cancer-rf-v1";
const RATE = 1000;
const CANARY_SHARE = 0.1;
/** Distinct caller keys in the canary phase: each routed by its hash, so ~10% of them (and of requests) reach the canary. */
const CALLERS = 1000;

/** The other processes: the same-run "before" arms (see the top of this file), one process each. */
const BEFORE = {
  "backend-idle": { env: { STUDIO_LOG_BACKEND_POLICY: "idle" }, label: "shadow on its own thread, off-path threads and the log writer's PostgreSQL backend in SCHED_IDLE (opt-in STUDIO_LOG_BACKEND_POLICY=idle; a second process)" },
  // The shadow's log rows on a connection of their own whose backend alone is in SCHED_IDLE (production's rows keep a
  // backend at normal priority): STUDIO_SHADOW_LOG_BACKEND_POLICY=idle; `shadow-log-apart` writes them apart at normal priority.
  "shadow-log-idle": { env: { STUDIO_SHADOW_LOG_BACKEND_POLICY: "idle" }, label: "shadow on its own thread, its log rows on their own connection, that backend in SCHED_IDLE (STUDIO_SHADOW_LOG_BACKEND_POLICY=idle)" },
  "shadow-log-apart": { env: { STUDIO_SHADOW_LOG_BACKEND_POLICY: "normal" }, label: "shadow on its own thread, its log rows on their own connection at normal priority (STUDIO_SHADOW_LOG_BACKEND_POLICY=normal)" },
  "nice-only": { env: { STUDIO_BACKGROUND_THREAD_POLICY: "normal" }, label: "shadow on its own thread, off-path threads at niceness 19 only, not SCHED_IDLE (before; a second process)" },
  "normal-priority": { env: { STUDIO_BACKGROUND_THREAD_NICE: "0", STUDIO_BACKGROUND_THREAD_POLICY: "normal" }, label: "shadow on its own thread, off-path threads at normal priority (before; a second process)" },
  "batch-20ms": { env: { STUDIO_SHADOW_BATCH_DELAY_MS: "20" }, label: "shadow on its own thread in SCHED_IDLE, copies sent every 20 ms, not 50 (before; a second process)" },
  "main-scorer": { env: { STUDIO_BACKGROUND_THREAD_NICE: "0", STUDIO_BACKGROUND_THREAD_POLICY: "normal", STUDIO_SHADOW_SCORER: "main" }, label: "shadow scored on the serving thread (before; a second process)" },
  // V8's young generation (issue 20: the serving thread's minor GCs doubled with a shadow). A scavenge costs what
  // survives it, not the garbage: a larger semi-space means fewer scavenges for about the same survivors.
  "semi-space-32": { env: {}, nodeArgs: ["--max-semi-space-size=32"], label: "shadow as shipped, the process started with node --max-semi-space-size=32 (MB; node 20's default 16)" },
  "semi-space-64": { env: {}, nodeArgs: ["--max-semi-space-size=64"], label: "shadow as shipped, the process started with node --max-semi-space-size=64" },
  // A larger maximum alone did not lower the scavenges' count (V8 grows the young generation only when much of it
  // survives, and here little does): these start it large.
  "semi-space-min-16": { env: {}, nodeArgs: ["--min-semi-space-size=16", "--max-semi-space-size=16"], label: "shadow as shipped, the process started with node --min-semi-space-size=16 --max-semi-space-size=16" },
  "semi-space-min-64": { env: {}, nodeArgs: ["--min-semi-space-size=64", "--max-semi-space-size=64"], label: "shadow as shipped, the process started with node --min-semi-space-size=64 --max-semi-space-size=64" },
  // Each isolate collects on its own thread: no scavenge waits for V8's helper threads on a saturated run queue, and
  // the scoring and log threads' collections run at their SCHED_IDLE priority (a startup flag: not in NODE_OPTIONS).
  "single-threaded-gc": { env: {}, nodeArgs: ["--single-threaded-gc"], label: "shadow as shipped, the process started with node --single-threaded-gc" },
  // The serving thread's allocations per copy: copies kept (request, parse, closure) until their batch is sent.
  "copy-at-send": { env: { STUDIO_SHADOW_COPY: "at-send" }, label: "shadow copies stacked when their batch is sent, each copy's parse kept until then (before; STUDIO_SHADOW_COPY=at-send)" },
  "semi-space-64-single-gc": { env: {}, nodeArgs: ["--max-semi-space-size=64", "--single-threaded-gc"], label: "shadow as shipped, the process started with node --max-semi-space-size=64 --single-threaded-gc" },
} satisfies Record<string, { env: Record<string, string>; nodeArgs?: string[]; label: string }>;

/** Pairs of phases (production alone, with a shadow) per process; at least 3. */
const ROUNDS = Math.max(3, Number(process.env.BENCH_CANARY_ROUNDS) || 3);

interface Phase {
  total: number;
  p50: number;
  p99: number;
  failed: number;
  /** Answers per x-model-route, when counted. */
  routes: Record<string, number>;
  cpu: CpuPerRequest | null;
  /** Every answer's latency (ms), for the arm's pooled p99. */
  latencies: number[];
  /** Each request's scheduled start, send lag and latency (for the stall attribution). */
  timeline?: PacedTimeline;
  /** What the phase's slow answers overlapped (bench/shadow-stalls.ts), when traced. */
  stalls?: PhaseStalls;
}

/** The stall trace (server/serving/stall-trace.mjs) of each serving process: on unless BENCH_STALL_TRACE=0. */
const STALL_TRACE = process.env.BENCH_STALL_TRACE !== "0";

/**
 * `seconds` of traffic at RATE, evenly paced (bench/paced-load.ts: autocannon's `overallRate` sends each connection's
 * share of a second in one burst, so its p99 measured bursts draining, not a server at 1,000 req/s); `callerKeys`: the
 * requests name CALLERS callers in turn (x-caller-key). Answers are counted by x-model-route.
 */
async function fixedRate(url: string, body: string, token: string, seconds: number, callerKeys = false): Promise<Omit<Phase, "cpu">> {
  const routes: Record<string, number> = {};
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
  const keyed = Array.from({ length: CALLERS }, (_, i) => ({ ...headers, "x-caller-key": `caller-${i}` }));
  const result = await pacedLoad({
    url,
    body,
    rate: RATE,
    seconds,
    headers: callerKeys ? (i) => keyed[i % CALLERS]! : () => headers,
    onAnswer: (_status, answer) => {
      const route = String(answer["x-model-route"] ?? "none");
      routes[route] = (routes[route] ?? 0) + 1;
    },
    timeline: STALL_TRACE,
  });
  settledRuns.push(result.answered + result.failed);
  return { total: result.sent, p50: result.p50, p99: result.p99, failed: result.failed, routes, latencies: result.latencies, timeline: result.timeline };
}

/** Requests answered (successfully or not) in each run of this bench so far (checked against route_counts at the end). */
const settledRuns: number[] = [];

/**
 * A phase with the CPU the serving process (tsx runs it in a child of the launcher) and PostgreSQL spent meanwhile,
 * and, with the stall trace on, what its slow answers overlapped (printed as it ends, under `label`).
 */
async function measured(launcherPid: number | undefined, databaseUrl: string, run: () => Promise<Omit<Phase, "cpu">>, traceFile?: string, label = ""): Promise<Phase> {
  const stop = launcherPid ? await meterCpu(nodeProcessOf(launcherPid), databaseUrl) : null;
  const probe = STALL_TRACE && traceFile && launcherPid ? await startPhaseProbe(databaseUrl) : null;
  const result = await run();
  const cpu = stop ? await stop(result.total) : null;
  let stalls: PhaseStalls | undefined;
  if (probe && result.timeline) {
    const probed = await probe.stop();
    // The serving process flushes its trace every 250 ms.
    await new Promise((resolve) => setTimeout(resolve, 300));
    stalls = attributeStalls(result.timeline, probed, readTrace(traceFile!, nodeProcessOf(launcherPid!), probed.from, probed.to + 5_000));
    console.log(describePhase(label, stalls));
  }
  return { ...result, timeline: undefined, cpu, stalls };
}

function median(values: number[]): number {
  return percentile(values, 50);
}

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** v2 through the review gate, as the product requires before a canary: a dataset, a requested review, an approval. */
async function approveV2(ctx: { db: Parameters<typeof configureTraffic>[0]["db"]; artifacts: LocalArtifactStore }, datasetRoot: string, editor: Actor, reviewer: Actor): Promise<void> {
  const as = (actor: Actor) => ({ ...ctx, actor });
  const columns = (await readFile("fixtures/datasets/breast_cancer.test.csv", "utf8")).split("\n")[0]!.split(",").slice(0, 30);
  const dataset = await registerDatasetVersion(
    as(editor),
    datasetRoot,
    { name: "bench-canary-test", format: "csv", masking: {}, labelColumn: "malignant", sensitiveAttributes: [] },
    createReadStream("fixtures/datasets/breast_cancer.test.csv"),
  );
  await waitForDatasetJobs();
  const { id } = await requestReview(
    as(editor),
    {
      modelName: MODEL,
      modelVersion: "2",
      datasetName: "bench-canary-test",
      datasetVersion: dataset.version.version,
      labelColumn: "malignant",
      sensitiveAttributes: [],
      criteria: { ...defaultCriteria("binary"), maxGroupGap: null },
      requiredApprovals: 1,
      context: { businessGoal: "bench/serving-canary: a canary of the retrained forest", expectedRoi: "", knownLimits: "" },
      columnOrder: columns,
    },
    datasetRoot,
  );
  await waitForReviewJobs();
  const evaluated = await getReview(as(editor), id);
  const exceptions = (evaluated.criteriaResults ?? []).filter((r) => !r.passed).map((r) => ({ key: r.key, justification: "Accepted for the serving benchmark." }));
  await decideReview(as(reviewer), { id, decision: "approve", comment: "Approved for the canary benchmark.", exceptions });
}

export async function benchServingCanary(): Promise<BenchRow[]> {
  const seconds = Number(process.env.BENCH_SERVING_SECONDS ?? 5);
  settledRuns.length = 0;
  const postgres = await throwawayPostgres();
  if (!postgres) return [{ backend: "standalone", measure: "canary/shadow at 1,000 req/s", studio: "skipped: needs PostgreSQL", baseline: "—", ratio: "—", target: "—", verdict: "skipped" }];
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "studio-bench-canary-"));
  await chmod(dataDir, 0o755);
  const rows: BenchRow[] = [];
  try {
    const token = await prepareDataDir(dataDir, postgres.url);
    const handle = await openDatabase({ url: postgres.url, dataDir });
    const ctx = { db: handle.db, artifacts: new LocalArtifactStore(path.join(dataDir, "artifacts")) };
    const user = async (name: string, role: "editor" | "reviewer"): Promise<Actor> => {
      const created = await createUserAsSystem(handle.db, zCreateUser.parse({ username: `bench-${name}`, password: `bench-${name}-password-1`, role }));
      return { userId: created.userId, username: created.username, role, via: "session" };
    };
    try {
      await registerOnnxUpload({ ...ctx, actor: systemActor }, { name: MODEL, bytes: new Uint8Array(await readFile("fixtures/models/breast-cancer-rf-v2.onnx")) });
      const editor = await user("editor", "editor");
      console.log("[bench] serving-canary: taking v2 through the review gate…");
      await approveV2(ctx, path.join(dataDir, "datasets"), editor, await user("reviewer", "reviewer"));
      // The traffic settings as the Deployments page sets them (each process follows within a second).
      const setTraffic = (traffic: { shadow?: { version: string } | null; canary?: { version: string; share: number } | null }) => configureTraffic({ ...ctx, actor: editor }, { name: MODEL, ...traffic });
      const row = (await readFile("fixtures/datasets/breast_cancer.test.csv", "utf8")).trim().split("\n")[1]!.split(",").slice(0, 30).map(Number);
      const body = JSON.stringify({ inputs: [row] });
      const env = { STUDIO_DATA_DIR: dataDir, DATABASE_URL: postgres.url };
      const traceFile = (key: string) => path.join(dataDir, `stall-trace-${key}.jsonl`);
      const traceEnv = (key: string): Record<string, string> => (STALL_TRACE ? { STUDIO_STALL_TRACE: traceFile(key) } : {});
      const port = await freePort();
      // As shipped: the defaults (the log backend at normal priority; `backend-idle` is the opt-in beside it).
      const standalone = await spawnTsx("server/serving/standalone.ts", { ...env, ...traceEnv("shipped"), STUDIO_SERVING_PORT: String(port) }, /\[serving\] listening/);
      // BENCH_CANARY_BEFORE may name several arms (comma-separated): one more process each, interleaved alike.
      const beforeKinds = (process.env.BENCH_CANARY_BEFORE ?? "backend-idle").split(",").map((k) => k.trim()) as (keyof typeof BEFORE)[];
      for (const kind of beforeKinds) if (!BEFORE[kind]) throw new Error(`BENCH_CANARY_BEFORE must name arms of ${Object.keys(BEFORE).join(", ")}`);
      const befores: { kind: keyof typeof BEFORE; port: number; spawned: Awaited<ReturnType<typeof spawnTsx>> }[] = [];
      const shadowRows = async () => Number((await sql<{ n: string }>(postgres.url, `select count(*) as n from inference_log where route = 'shadow'`))[0]!.n);
      const settle = () => new Promise((resolve) => setTimeout(resolve, 2_000));
      try {
        for (const kind of beforeKinds) {
          const arm: { env: Record<string, string>; nodeArgs?: string[] } = BEFORE[kind];
          const beforePort = await freePort();
          befores.push({ kind, port: beforePort, spawned: await spawnTsx("server/serving/standalone.ts", { ...env, ...traceEnv(kind), STUDIO_SERVING_PORT: String(beforePort), ...arm.env }, /\[serving\] listening/, arm.nodeArgs) });
        }
        const url = `http://127.0.0.1:${port}/api/serve/${MODEL}/invocations`;
        const targets: { key: string; pid: number | undefined; url: string; logDropped: () => number; label: string }[] = [
          { key: "shipped", pid: standalone.child.pid, url, logDropped: standalone.logDropped, label: "shadow on its own thread, off-path threads in SCHED_IDLE, the log writer's PostgreSQL backend at normal priority" },
          ...befores.map((b) => ({ key: b.kind, pid: b.spawned.child.pid, url: `http://127.0.0.1:${b.port}/api/serve/${MODEL}/invocations`, logDropped: b.spawned.logDropped, label: BEFORE[b.kind].label })),
        ];
        // Warm-up long enough for the session, the JIT and the log's writer to settle.
        await fixedRate(url, body, token, 5);
        for (const target of targets.slice(1)) await fixedRate(target.url, body, token, 3);
        // Production alone and with a shadow, interleaved: ROUNDS pairs per process, the pair's order alternating, so
        // that the machine's drift (other work, PostgreSQL's autovacuum, the log table growing) falls on both arms
        // alike and the spread between the rounds' "alone" phases says how far apart p99s of the same code land here.
        const arms = new Map<string, { alone: Phase[]; shadow: Phase[]; logged: number }>(targets.map((t) => [t.key, { alone: [], shadow: [], logged: 0 }]));
        for (let round = 0; round < ROUNDS; round++) {
          for (const shadowOn of round % 2 === 0 ? [false, true] : [true, false]) {
            await setTraffic({ shadow: shadowOn ? { version: "2" } : null });
            await settle();
            const order = round % 2 === 0 ? targets : [...targets].reverse();
            for (const target of order) await fixedRate(target.url, body, token, 1);
            for (const target of order) {
              console.log(`[bench] serving-canary: round ${round + 1} of ${ROUNDS}, ${target.key} process, ${shadowOn ? "with a shadow of v2" : "production alone"}…`);
              const arm = arms.get(target.key)!;
              if (!shadowOn) {
                arm.alone.push(await measured(target.pid, postgres.url, () => fixedRate(target.url, body, token, seconds), traceFile(target.key), `round ${round + 1}, ${target.key}, alone`));
                continue;
              }
              await settle();
              const logged = await shadowRows();
              arm.shadow.push(await measured(target.pid, postgres.url, () => fixedRate(target.url, body, token, seconds), traceFile(target.key), `round ${round + 1}, ${target.key}, with a shadow`));
              await settle();
              arm.logged += (await shadowRows()) - logged;
            }
          }
        }
        await setTraffic({ shadow: null });
        await settle();

        // The canary's own baseline: production alone with the same caller keys (the header and the counting cost too).
        await fixedRate(url, body, token, 1, true);
        console.log("[bench] serving-canary: production alone, with caller keys…");
        const keyed = await measured(standalone.child.pid, postgres.url, () => fixedRate(url, body, token, seconds, true));

        await setTraffic({ canary: { version: "2", share: CANARY_SHARE } });
        await settle();
        await fixedRate(url, body, token, 1, true);
        console.log("[bench] serving-canary: with a 10% canary of v2…");
        const canary = await measured(standalone.child.pid, postgres.url, () => fixedRate(url, body, token, seconds, true));
        await setTraffic({ canary: null });

        // Every answer counted exactly (route_counts, flushed each second by both processes) against what the load
        // generator saw answered: it waits for every request it sent, so the two must be equal.
        await settle();
        const answeredInAll = settledRuns.reduce((a, b) => a + b, 0);
        const counted = Number((await sql<{ n: string }>(postgres.url, `select coalesce(sum(requests), 0) as n from route_counts where route in ('production', 'canary')`))[0]!.n);
        const ms = (v: number) => `${v.toFixed(2)} ms`;
        const signed = (v: number, digits: number, unit = "") => `${v >= 0 ? "+" : "−"}${formatNumber(Math.abs(v), digits)}${unit ? ` ${unit}` : ""}`;
        const cpu = (c: CpuPerRequest | null) =>
          c ? ` · CPU per 1,000 req: serving thread ${formatNumber(c.mainUs, 0)} ms, process ${formatNumber(c.processUs, 0)} ms${c.postgresUs !== null ? `, PostgreSQL ${formatNumber(c.postgresUs, 0)} ms` : ""}` : "";
        const describe = (r: Phase) => `p50 ${ms(r.p50)} / p99 ${ms(r.p99)}${cpu(r.cpu)}${r.failed ? ` · ${r.failed} failed` : ""}`;
        const backend = "standalone (PostgreSQL)";
        const measure = (what: string) => `${RATE} req/s, batch 1, ${what}`;
        for (const target of targets) {
          const arm = arms.get(target.key)!;
          const mainUs = (phases: Phase[]) => median(phases.map((p) => p.cpu?.mainUs ?? Number.NaN));
          arm.alone.forEach((alone, i) => {
            const shadow = arm.shadow[i]!;
            const cpuExtra = alone.cpu && shadow.cpu ? ` · serving thread ${signed(shadow.cpu.mainUs - alone.cpu.mainUs, 0, "µs/req")}` : "";
            rows.push({
              backend,
              measure: measure(`round ${i + 1}: production alone → with a ${target.label}`),
              studio: `alone: ${describe(alone)}; with the shadow: ${describe(shadow)}`,
              baseline: `p99 ${ms(alone.p99)}`,
              ratio: `${signed(shadow.p99 - alone.p99, 2, "ms")}${cpuExtra}`,
              target: "—",
              verdict: "pair",
            });
          });
          // Pooled: every answer of an arm's phases in one distribution (ROUNDS × 1,000 × seconds samples: its p99 is
          // steadier than any one phase's); the median of the rounds' differences is the paired reading.
          const pooledAlone = percentile(arm.alone.flatMap((p) => p.latencies), 99);
          const pooledShadow = percentile(arm.shadow.flatMap((p) => p.latencies), 99);
          const alonePs = arm.alone.map((p) => p.p99);
          const noise = Math.max(...alonePs) - Math.min(...alonePs);
          const pairDiffs = arm.alone.map((p, i) => arm.shadow[i]!.p99 - p.p99);
          const extra = pooledShadow - pooledAlone;
          const sent = arm.shadow.reduce((a, p) => a + p.total, 0);
          rows.push({
            backend,
            measure: measure(`${target.label}, ${ROUNDS} rounds pooled`),
            studio:
              `p99 pooled ${ms(pooledShadow)}, median of rounds ${ms(median(arm.shadow.map((p) => p.p99)))} · serving thread ${formatNumber(mainUs(arm.shadow), 0)} µs/req (median)` +
              ` · ${formatNumber(arm.logged, 0)} of ${formatNumber(sent, 0)} copies scored and logged`,
            baseline: `alone: p99 pooled ${ms(pooledAlone)}, median of rounds ${ms(median(alonePs))}, rounds spread ${ms(noise)} · serving thread ${formatNumber(mainUs(arm.alone), 0)} µs/req`,
            ratio: `pooled ${signed(extra, 2, "ms")}, median pair ${signed(median(pairDiffs), 2, "ms")} (pairs ${pairDiffs.map((d) => signed(d, 2)).join(", ")}) · serving thread ${signed(mainUs(arm.shadow) - mainUs(arm.alone), 0, "µs/req")}`,
            target: "p99 ≤ +1 ms",
            verdict: extra <= 1 ? "met" : "missed",
          });
        }
        // Where the shadow's CPU goes: each thread of the serving process and each kind of PostgreSQL backend, µs per
        // request, median of the rounds, alone → with the shadow (the difference is what the shadow costs each of them).
        for (const target of targets) {
          const arm = arms.get(target.key)!;
          const parts: [string, (c: CpuPerRequest) => number | null][] = [
            ["serving thread", (c) => c.mainUs],
            ["shadow's scoring thread", (c) => c.shadowThreadUs],
            ["log writer thread", (c) => c.logWriterUs],
            ["other threads (libuv, V8, onnxruntime)", (c) => c.otherThreadsUs],
            ["PostgreSQL: log writer's backend", (c) => c.postgresLogUs],
            ["PostgreSQL: autovacuum", (c) => c.postgresAutovacuumUs],
            ["PostgreSQL: other backends", (c) => c.postgresOtherUs],
          ];
          const medianOf = (phases: Phase[], part: (c: CpuPerRequest) => number | null) => {
            const values = phases.map((p) => (p.cpu ? part(p.cpu) : null)).filter((v): v is number => v !== null);
            return values.length ? median(values) : null;
          };
          const cells = parts.map(([name, part]) => {
            const alone = medianOf(arm.alone, part);
            const shadow = medianOf(arm.shadow, part);
            return alone === null || shadow === null ? null : { name, alone, shadow };
          });
          const known = cells.filter((c): c is { name: string; alone: number; shadow: number } => c !== null);
          if (!known.length) continue;
          rows.push({
            backend,
            measure: measure(`CPU µs/request by thread and backend, ${target.label} (median of ${ROUNDS} rounds)`),
            studio: `with the shadow: ${known.map((c) => `${c.name} ${formatNumber(c.shadow, 0)}`).join(", ")}`,
            baseline: `alone: ${known.map((c) => `${c.name} ${formatNumber(c.alone, 0)}`).join(", ")}`,
            ratio: known.map((c) => `${c.name} ${signed(c.shadow - c.alone, 0)}`).join(", "),
            target: "—",
            verdict: "attribution",
          });
        }
        // What the slow answers overlapped (bench/shadow-stalls.ts), per arm: the serving thread's event-loop gaps (and
        // whether it was on a CPU, waiting for one or blocked), the load generator's own stalls, or neither.
        for (const target of targets) {
          const arm = arms.get(target.key)!;
          const stalls = (phases: Phase[]) => phases.map((p) => p.stalls).filter((x): x is PhaseStalls => x !== undefined);
          if (!stalls(arm.shadow).length) continue;
          rows.push({
            backend,
            measure: measure(`stalls (answers > ${STALL_MS} ms) and what they overlapped, ${target.label}`),
            studio: `with the shadow: ${summariseArm(stalls(arm.shadow))}`,
            baseline: `alone: ${summariseArm(stalls(arm.alone))}`,
            // A log backend in SCHED_IDLE must not starve the log: entries it sheds are counted by the process.
            ratio: `inference log entries shed by this process in the whole run: ${formatNumber(target.logDropped(), 0)}`,
            target: "—",
            verdict: "attribution",
          });
        }
        rows.push({ backend, measure: measure(`production alone, ${formatNumber(CALLERS, 0)} caller keys (the canary's baseline)`), studio: describe(keyed), baseline: "—", ratio: "—", target: "—", verdict: "baseline" });
        const extra = canary.p99 - keyed.p99;
        const extraCpu = keyed.cpu && canary.cpu ? ` · serving thread ${canary.cpu.mainUs - keyed.cpu.mainUs >= 0 ? "+" : ""}${formatNumber(canary.cpu.mainUs - keyed.cpu.mainUs, 0)} µs/req` : "";
        const answered = Object.values(canary.routes).reduce((a, b) => a + b, 0);
        rows.push({
          backend,
          measure: measure(`${CANARY_SHARE * 100}% canary of v2 (approved), ${formatNumber(CALLERS, 0)} caller keys`),
          studio: `${describe(canary)} · canary answered ${formatNumber(canary.routes.canary ?? 0, 0)} of ${formatNumber(answered, 0)} (${answered ? (((canary.routes.canary ?? 0) / answered) * 100).toFixed(1) : "0"}%)`,
          baseline: `p99 ${ms(keyed.p99)}${keyed.cpu ? ` · serving thread ${formatNumber(keyed.cpu.mainUs, 0)} µs/req` : ""}`,
          ratio: `${extra >= 0 ? "+" : ""}${extra.toFixed(2)} ms${extraCpu}`,
          target: "p99 ≤ +1 ms",
          verdict: extra <= 1 ? "met" : "missed",
        });
        rows.push({
          backend,
          measure: `production and canary answers counted in route_counts (all ${settledRuns.length} runs, both processes)`,
          studio: formatNumber(counted, 0),
          baseline: `${formatNumber(answeredInAll, 0)} answered (load generator)`,
          ratio: `${counted - answeredInAll >= 0 ? "+" : ""}${counted - answeredInAll}`,
          target: "equal",
          verdict: counted === answeredInAll ? "met" : "missed",
        });
      } finally {
        await standalone.stop();
        for (const b of befores) await b.spawned.stop();
      }
    } finally {
      await stopJobRunners(0);
      await handle.close();
    }
  } finally {
    await postgres.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return rows;
}
