// Where the standalone serving process spends its time under load: `npx tsx bench/serving-profile.ts` starts it with
// `node --cpu-prof` on a throwaway PostgreSQL database (as bench/serving prepares it), drives `/v2/…/infer` batch 1
// with autocannon, stops it and prints the profile's self time by function and by area (the serving code, auth, the
// inference log, HTTP, onnxruntime, GC). PROFILE_SECONDS (default 10), PROFILE_RATE (fixed req/s; default: as fast as
// it goes), PROFILE_WRITER (worker|main), PROFILE_SAMPLE_RATE (the model's log sampling, default 1), PROFILE_TARGET=bare
// (bench/serving-bare-server.ts instead, for the same breakdown of the transport limit).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { chmod, mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { prepareDataDir, throwawayPostgres, setLogSampleRate } from "./serving";
import { freePort } from "./studio-server";

type Autocannon = (options: Record<string, unknown>) => Promise<{ requests: { average: number; total: number }; latency: { p50: number; p99: number }; non2xx: number }>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The area a frame belongs to, by its file. */
function areaOf(url: string, name: string): string {
  if (name === "(garbage collector)") return "GC";
  if (name === "(idle)" || name === "(program)") return name;
  if (url.includes("/server/monitoring/")) return "inference log (serving thread)";
  if (url.includes("/server/auth/")) return "auth";
  if (url.includes("/server/serving/")) return "serving code";
  if (url.includes("onnxruntime")) return "onnxruntime-node";
  if (url.includes("/node_modules/pg") || url.includes("drizzle")) return "database driver";
  if (url.startsWith("node:internal/http") || url.startsWith("node:_http") || url.includes("_http_")) return "node:http";
  if (url.startsWith("node:internal/streams") || url.startsWith("node:net") || url.startsWith("node:internal/stream")) return "streams/net";
  if (url.startsWith("node:")) return "node (other)";
  if (url === "") return name.startsWith("(") ? name : "native/builtin";
  return "other JS";
}

/** Self time by profile node over the last `seconds` of the profile (the measured load, not start-up). */
function summarise(label: string, profile: CpuProfile, seconds: number, requests: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const from = profile.endTime - seconds * 1e6;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    if (at >= from) self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + delta);
  }
  let total = 0;
  let idle = 0;
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = byId.get(id)!.callFrame;
    total += micros;
    if (frame.functionName === "(idle)") {
      idle += micros;
      continue;
    }
    const where = frame.url ? `${frame.url.replace(/^.*\/(node_modules|server|lib|db)\//, "$1/")}:${frame.lineNumber + 1}` : "";
    const key = `${frame.functionName || "(anonymous)"} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    const area = areaOf(frame.url, frame.functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + micros);
  }
  const busy = total - idle;
  // Sampled wall time while the thread was running JavaScript or native code (descheduled time on a busy machine
  // included): per request it reads high under contention, but the shares compare between runs.
  const pct = (v: number) => `${((100 * v) / busy).toFixed(1).padStart(5)}% ${((v / requests) | 0).toString().padStart(4)} µs/request`;
  console.log(`\n${label}: ${(busy / 1e6).toFixed(2)} s busy of ${(total / 1e6).toFixed(2)} s profiled, ${Math.round(busy / requests)} µs per request\n\nby area (self time, share of busy):`);
  for (const [area, micros] of [...byArea].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(micros)}  ${area}`);
  console.log("\ntop functions (self time):");
  for (const [name, micros] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(`  ${pct(micros)}  ${name}`);
}

async function main(): Promise<void> {
  const seconds = Number(process.env.PROFILE_SECONDS ?? 10);
  const rate = Number(process.env.PROFILE_RATE ?? 0);
  const postgres = await throwawayPostgres();
  if (!postgres) throw new Error("bench/serving-profile needs PostgreSQL (BENCH_DATABASE_URL / TEST_DATABASE_URL)");
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "studio-serving-profile-"));
  const profileDir = await mkdtemp(path.join(os.tmpdir(), "studio-serving-cpuprof-"));
  try {
    await chmod(dataDir, 0o755);
    const token = await prepareDataDir(dataDir, postgres.url);
    if (process.env.PROFILE_SAMPLE_RATE) await setLogSampleRate(postgres.url, Number(process.env.PROFILE_SAMPLE_RATE));
    const port = await freePort();
    const bare = process.env.PROFILE_TARGET === "bare";
    const child = spawn(process.execPath, ["--cpu-prof", "--cpu-prof-interval", "250", "--cpu-prof-dir", profileDir, "--import", "tsx", bare ? "bench/serving-bare-server.ts" : "server/serving/standalone.ts"], {
      env: {
        ...process.env,
        NODE_ENV: "production",
        STUDIO_DATA_DIR: dataDir,
        DATABASE_URL: postgres.url,
        STUDIO_SERVING_PORT: String(port),
        BARE_PORT: String(port),
        ...(process.env.PROFILE_WRITER ? { STUDIO_INFERENCE_LOG_WRITER: process.env.PROFILE_WRITER } : {}),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on("data", (chunk: Buffer) => /listening|ready/.test(chunk.toString()) && resolve());
      child.once("exit", (code) => reject(new Error(`${bare ? "the bare server" : "standalone"} exited with ${code}`)));
    });
    const rows = (await readFile("fixtures/datasets/breast_cancer.test.csv", "utf8")).trim().split("\n")[1]!.split(",").slice(0, 30).map(Number);
    // The bare server takes MLflow's {"inputs": [[…]]} on any path; the studio is driven on /v2/…/infer.
    const options = {
      url: bare ? `http://127.0.0.1:${port}/` : `http://127.0.0.1:${port}/v2/models/breast-cancer-rf-v1/infer`,
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: bare ? JSON.stringify({ inputs: [rows] }) : JSON.stringify({ inputs: [{ name: "input", shape: [1, 30], datatype: "FP32", data: rows }] }),
      connections: 10,
    };
    await autocannon({ ...options, duration: 2 });
    const result = await autocannon({ ...options, duration: seconds, ...(rate ? { overallRate: rate } : {}) });
    const requests = result.requests.average * (seconds + 0.5);
    console.log(`load: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms / p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    // One file per thread: the writer's is the one that ran inference-log-worker.mjs.
    for (const file of await readdir(profileDir)) {
      const profile = JSON.parse(await readFile(path.join(profileDir, file), "utf8")) as CpuProfile;
      const writer = profile.nodes.some((n) => n.callFrame.url.endsWith("inference-log-worker.mjs"));
      summarise(writer ? "the inference log's writer thread" : "serving thread", profile, seconds + 0.5, requests);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await rm(profileDir, { recursive: true, force: true });
    await postgres.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
