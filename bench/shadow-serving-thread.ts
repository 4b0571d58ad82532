// bench/shadow-serving-thread: what a shadow costs the serving thread itself, per request, without HTTP, the load
// generator's process or other threads in the measure. One process serves MLflow /invocations (batch 1) through
// handleServing, in process, evenly paced at 1,000 req/s, in interleaved rounds of production alone and with a shadow
// of v2; each round's CPU of this process's main thread (utime + stime of /proc/self/task/<pid>/stat) covers its
// requests and everything the shadow makes that thread do afterwards (batches handed to the scoring thread, answers
// taken back and handed to the log's writer, route counts), until the shadow's queue, the route counts and the log are
// flushed. The load generator runs on the same thread in both arms, so the difference is the shadow's.
// `TEST_DATABASE_URL=postgres://… npx tsx bench/shadow-serving-thread.ts` (PostgreSQL, so the log's writer thread
// inserts; with PGlite the serving thread inserts the log's rows itself). BENCH_SHADOW_ROUNDS (default 4) pairs of
// BENCH_SHADOW_REQUESTS (default 5,000) requests. Clock ticks are 10 ms: 5,000 requests read to ±2 µs per request.
// On a busy machine the scoring thread (SCHED_IDLE) drops copies, which then cost the serving thread less: run with
// STUDIO_BACKGROUND_THREAD_POLICY=normal STUDIO_BACKGROUND_THREAD_NICE=0 to measure the cost of copies scored.
// BENCH_SHADOW_COPY_AT_SEND=1 adds a third arm to each round: the shadow with copies stacked when their batch is sent
// (each copy's parse kept until then), against the default of stacking their cells as they are queued. Each arm also
// reports the serving thread's scavenges (count and time, PerformanceObserver 'gc'): what waits in the shadow's queue
// survives them, and a scavenge costs what survives it.
import { readFileSync, writeFileSync } from "node:fs";
import { constants as perfConstants, PerformanceObserver } from "node:perf_hooks";
import { Session } from "node:inspector/promises";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { percentile } from "@/lib/percentile";
import type { Actor } from "@/server/auth/actor";
import { createUserAsSystem } from "@/server/auth/accounts";
import { zCreateToken, zCreateUser } from "@/server/auth/schema";
import { createToken } from "@/server/auth/tokens";
import { configureTraffic } from "@/server/deployments/traffic";
import { flushInferenceLog } from "@/server/monitoring/inference-log";
import { registerOnnxUpload } from "@/server/registry/onnx-versions";
import { setModelAlias } from "@/server/registry/registered-models";
import { handleServing } from "@/server/serving/http";
import { ModelServer } from "@/server/serving/model-server";
import { flushRouteLog } from "@/server/serving/route-log";
import { closeShadowQueue, shadowQueueIdle, shadowQueueStatus, shadowQueueTestHooks } from "@/server/serving/shadow-queue";
import { createTestStudio } from "@/server/testing/test-database";

const MODEL = "bc";
const ROUNDS = Number(process.env.BENCH_SHADOW_ROUNDS) || 4;
const REQUESTS = Number(process.env.BENCH_SHADOW_REQUESTS) || 5_000;
const RATE = 1000;
const TICK_US = 10_000;

function mainThreadTicks(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

async function main(): Promise<void> {
  const fixtures = path.join(import.meta.dirname, "../fixtures");
  const studio = await createTestStudio(process.env.TEST_DATABASE_URL ? "postgres" : "pglite");
  const server = new ModelServer(async () => ({ db: studio.db, artifacts: studio.artifacts }));
  const user = async (name: string, role: "admin" | "editor"): Promise<Actor> => {
    const created = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `bench-${name}`, password: `bench-${name}-password-1`, role }));
    return { userId: created.userId, username: created.username, role, via: "session" };
  };
  const admin = await user("admin", "admin");
  const editor = await user("editor", "editor");
  const token = (await createToken(studio.as(editor), zCreateToken.parse({ name: "serve" }))).token;
  for (const file of ["breast-cancer-rf-v1.onnx", "breast-cancer-rf-v2.onnx"]) {
    await registerOnnxUpload(studio.as(editor), { name: MODEL, bytes: new Uint8Array(await readFile(path.join(fixtures, "models", file))) });
  }
  await setModelAlias(studio.as(admin), { name: MODEL, alias: "production", version: "1", overrideReason: "bench: v1 is production" });
  const row = (await readFile(path.join(fixtures, "datasets/breast_cancer.test.csv"), "utf8")).trim().split("\n")[1]!.split(",").slice(0, 30).map(Number);
  const body = JSON.stringify({ inputs: [row] });
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };

  /** `count` requests at RATE, evenly paced; resolves when all are answered. */
  const paced = (count: number) =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now();
      let sent = 0;
      let settled = 0;
      const tick = () => {
        while (sent < count && started + sent * (1000 / RATE) <= performance.now()) {
          sent++;
          handleServing({ method: "POST", pathname: `/api/serve/${MODEL}/invocations`, headers: new Headers(headers), text: async () => body }, server).then((answer) => {
            if (answer.status !== 200) reject(new Error(`status ${answer.status}: ${answer.body}`));
            if (++settled === count) resolve();
          }, reject);
        }
        if (sent < count) setTimeout(tick, Math.max(0, started + sent * (1000 / RATE) - performance.now()));
      };
      tick();
    });
  const drained = async () => {
    await shadowQueueIdle();
    await flushRouteLog();
    await flushInferenceLog();
  };
  const setShadow = async (on: boolean) => {
    await configureTraffic(studio.as(editor), { name: MODEL, shadow: on ? { version: "2" } : null });
    // Past the routing cache's period, so every measured request sees the new setting.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
  };

  let profiler: Session | null = null;
  if (process.env.BENCH_SHADOW_PROFILE) {
    profiler = new Session();
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.setSamplingInterval", { interval: 100 });
  }
  // BENCH_SHADOW_HEAP=1: a sampled allocation profile of the serving thread per measured round (garbage included: what a
  // scavenge has to deal with), summed by allocating function and printed per arm: where the shadow's extra
  // allocations on the serving thread come from (issue 20: its scavenges about double with a shadow).
  let heap: Session | null = null;
  if (process.env.BENCH_SHADOW_HEAP === "1") {
    heap = new Session();
    heap.connect();
    await heap.post("HeapProfiler.enable");
  }
  type SamplingNode = { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: SamplingNode[] };
  const heapPerArm = new Map<string, Map<string, number>>();
  const summariseHeap = (arm: string, root: SamplingNode) => {
    const sums = heapPerArm.get(arm) ?? new Map<string, number>();
    const walk = (node: SamplingNode) => {
      if (node.selfSize) {
        const where = `${node.callFrame.functionName || "(anonymous)"} ${node.callFrame.url.replace(/^.*\/(server|node_modules|bench|lib)\//, "$1/")}:${node.callFrame.lineNumber + 1}`;
        sums.set(where, (sums.get(where) ?? 0) + node.selfSize);
      }
      for (const child of node.children) walk(child);
    };
    walk(root);
    heapPerArm.set(arm, sums);
  };
  // The serving thread's scavenges (this isolate's only: the scoring and log threads have their own).
  const scavenges = { count: 0, ms: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind !== perfConstants.NODE_PERFORMANCE_GC_MINOR) continue;
      scavenges.count += 1;
      scavenges.ms += entry.duration;
    }
  }).observe({ entryTypes: ["gc"] });
  type Arm = "alone" | "shadow" | "shadow, copies stacked when sent";
  const arms: Arm[] = process.env.BENCH_SHADOW_COPY_AT_SEND === "1" ? ["alone", "shadow", "shadow, copies stacked when sent"] : ["alone", "shadow"];
  await setShadow(true);
  await paced(3_000);
  await drained();
  const perRequest = new Map<Arm, number[]>(arms.map((a) => [a, []]));
  const gcPerArm = new Map<Arm, { count: number; ms: number }[]>(arms.map((a) => [a, []]));
  /** Per shadow round: copies scored per request (a copy dropped because the scoring thread fell behind costs less). */
  const scoredShare: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Each arm first, last and in between in turn, so the machine's drift falls on all alike.
    const order = arms.map((_, i) => arms[(i + round) % arms.length]!);
    for (const arm of order) {
      const on = arm !== "alone";
      shadowQueueTestHooks.copyAt(arm === "shadow, copies stacked when sent" ? "send" : "enqueue");
      await setShadow(on);
      await paced(500);
      await drained();
      const status = shadowQueueStatus();
      if (profiler) await profiler.post("Profiler.start");
      if (heap) await heap.post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      const gcBefore = { ...scavenges };
      const before = mainThreadTicks();
      await paced(REQUESTS);
      await drained();
      const us = ((mainThreadTicks() - before) * TICK_US) / REQUESTS;
      // The observer's entries arrive after the GC, on a later turn.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const gc = { count: scavenges.count - gcBefore.count, ms: scavenges.ms - gcBefore.ms };
      gcPerArm.get(arm)!.push(gc);
      if (profiler) {
        // BENCH_SHADOW_PROFILE=<folder>: the serving thread's CPU profile of each measured round, for DevTools.
        const { profile } = await profiler.post("Profiler.stop");
        writeFileSync(path.join(process.env.BENCH_SHADOW_PROFILE!, `round-${round + 1}-${arm.replace(/\W+/g, "-")}.cpuprofile`), JSON.stringify(profile));
      }
      if (heap) {
        const { profile } = await heap.post("HeapProfiler.stopSampling");
        summariseHeap(arm, profile.head as unknown as SamplingNode);
      }
      const after = shadowQueueStatus();
      perRequest.get(arm)!.push(us);
      if (arm === "shadow") scoredShare.push((after.scored - status.scored) / REQUESTS);
      console.log(
        `round ${round + 1}: ${on ? `with a ${arm}` : "production alone"}: serving thread ${us.toFixed(1)} µs/request, ${gc.count} scavenges ${gc.ms.toFixed(1)} ms` +
          `${on ? `, copies scored ${after.scored - status.scored} (stacked as queued ${after.packed - status.packed}), dropped ${after.dropped - status.dropped}` : ""} (load ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")})`,
      );
    }
  }
  shadowQueueTestHooks.copyAt("enqueue");
  for (const arm of arms) {
    const gcs = gcPerArm.get(arm)!;
    console.log(
      `${arm}: serving thread µs/request ${perRequest.get(arm)!.map((v) => v.toFixed(1)).join(", ")}; scavenges per ${REQUESTS} requests ${gcs.map((g) => g.count).join(", ")}` +
        ` taking ${gcs.map((g) => g.ms.toFixed(1)).join(", ")} ms (median ${percentile(gcs.map((g) => g.ms), 50).toFixed(1)} ms, ${percentile(gcs.map((g) => g.ms / Math.max(g.count, 1)), 50).toFixed(2)} ms each)`,
    );
  }
  if (arms.length > 2) {
    const late = perRequest.get("shadow, copies stacked when sent")!.map((v, i) => v - perRequest.get("shadow")![i]!);
    console.log(`stacked as queued vs when sent: serving thread ${late.map((d) => (-d).toFixed(1)).join(", ")} µs/request (median ${(-percentile(late, 50)).toFixed(1)})`);
  }
  const alone = perRequest.get("alone")!;
  const shadowed = perRequest.get("shadow")!;
  const differences = alone.map((a, i) => shadowed[i]! - a);
  console.log(
    `serving thread µs/request: alone ${alone.map((v) => v.toFixed(1)).join(", ")}; with a shadow ${shadowed.map((v) => v.toFixed(1)).join(", ")}; ` +
      `pair differences ${differences.map((d) => d.toFixed(1)).join(", ")}, median ${percentile(differences, 50).toFixed(1)} µs/request; ` +
      `per copy scored: ${differences.map((d, i) => (d / Math.max(scoredShare[i]!, 1e-9)).toFixed(1)).join(", ")} µs`,
  );
  if (heap) {
    // Bytes allocated per request by function, all rounds of an arm (sampled every 4 KiB: an estimate), the shadow's
    // extra first; names read "function file:line".
    const alonePerFn = heapPerArm.get("alone") ?? new Map<string, number>();
    const shadowPerFn = heapPerArm.get("shadow") ?? new Map<string, number>();
    const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0) / (ROUNDS * REQUESTS);
    console.log(`serving thread allocation, bytes/request (sampled): alone ${total(alonePerFn).toFixed(0)}, with a shadow ${total(shadowPerFn).toFixed(0)}`);
    const names = new Set([...alonePerFn.keys(), ...shadowPerFn.keys()]);
    const rows = [...names].map((n) => ({ n, alone: (alonePerFn.get(n) ?? 0) / (ROUNDS * REQUESTS), shadow: (shadowPerFn.get(n) ?? 0) / (ROUNDS * REQUESTS) }));
    rows.sort((a, b) => b.shadow - b.alone - (a.shadow - a.alone));
    for (const r of rows.slice(0, 25)) console.log(`  ${(r.shadow - r.alone).toFixed(0).padStart(6)} B/req more with a shadow (${r.alone.toFixed(0)} → ${r.shadow.toFixed(0)}): ${r.n}`);
  }
  console.log(`shadow: ${JSON.stringify(shadowQueueStatus())}`);
  await closeShadowQueue();
  await server.close();
  await studio.close();
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
