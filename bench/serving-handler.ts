// The serving handler's own cost, without HTTP: `npx tsx bench/serving-handler.ts` prepares a throwaway PostgreSQL
// database (as bench/serving does), then calls handleServing in-process, 10 requests in flight, on `/v2/…/infer` and
// `/invocations` at batch 1 with the inference log on (the writer thread as in production), and times this thread's
// CPU per request (/proc/thread-self, user + system) against what bench/serving-bare-server.ts does for one request
// (JSON.parse, a tensor, session.run, JSON.stringify) in the same process. No sockets, no load generator beside it: on
// a busy machine this resolves a few µs where the autocannon benches (bench/serving-ab.ts) cannot. HANDLER_SECONDS
// (default 3) per measured pass, HANDLER_PASSES (default 3) alternating passes of each path, HANDLER_ONLY (below).
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { prepareDataDir, throwawayPostgres } from "./serving";

const MODEL_FILE = "fixtures/models/breast-cancer-rf-v1.onnx";
const IN_FLIGHT = 10;

/** This thread's CPU seconds (user + system) from /proc: the inference log's writer thread is not counted. */
function threadCpuSeconds(): number {
  const stat = readFileSync("/proc/thread-self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Runs `one` with IN_FLIGHT calls in flight for `seconds`; CPU µs of this thread per call. */
async function measure(one: () => Promise<void>, seconds: number): Promise<{ us: number; calls: number }> {
  let calls = 0;
  const until = performance.now() + seconds * 1000;
  const cpuBefore = threadCpuSeconds();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < until) {
        await one();
        calls++;
      }
    }),
  );
  return { us: ((threadCpuSeconds() - cpuBefore) * 1e6) / calls, calls };
}

async function main(): Promise<void> {
  const seconds = Number(process.env.HANDLER_SECONDS ?? 3);
  const passes = Number(process.env.HANDLER_PASSES ?? 3);
  const postgres = await throwawayPostgres();
  if (!postgres) throw new Error("bench/serving-handler needs PostgreSQL (BENCH_DATABASE_URL / TEST_DATABASE_URL)");
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "studio-serving-handler-"));
  try {
    await chmod(dataDir, 0o755);
    const token = await prepareDataDir(dataDir, postgres.url);
    process.env.STUDIO_DATA_DIR = dataDir;
    process.env.DATABASE_URL = postgres.url;
    // Imported once the environment names the database (the studio's client reads it at first use).
    const { handleServing, getModelServer } = await import("@/server/serving/http");
    const { servingSessionOptions } = await import("@/server/serving/model-server");
    const { getDatabase } = await import("@/db/client");
    const server = getModelServer();
    const row = (await readFile("fixtures/datasets/breast_cancer.test.csv", "utf8")).trim().split("\n")[1]!.split(",").slice(0, 30).map(Number);
    const mlflow = JSON.stringify({ inputs: [row] });
    const oip = JSON.stringify({ inputs: [{ name: "input", shape: [1, 30], datatype: "FP32", data: row }] });
    const request = (pathname: string, body: string) => {
      const headers = new Map([
        ["authorization", `Bearer ${token}`],
        ["content-type", "application/json"],
        ["content-length", String(Buffer.byteLength(body))],
      ]);
      return { method: "POST", pathname, headers: { get: (name: string) => headers.get(name) ?? null }, text: () => Promise.resolve(body) };
    };
    const v2 = request("/v2/models/breast-cancer-rf-v1/infer", oip);
    const inv = request("/api/serve/breast-cancer-rf-v1/invocations", mlflow);
    const call = (r: typeof v2) => async () => {
      const answer = await handleServing(r, server);
      if (answer.status !== 200) throw new Error(`${r.pathname}: ${answer.status} ${answer.body}`);
    };
    const session = await ort.InferenceSession.create(new Uint8Array(await readFile(MODEL_FILE)), servingSessionOptions());
    const bare = async () => {
      const rows = (JSON.parse(mlflow) as { inputs: number[][] }).inputs;
      const width = rows[0]!.length;
      const data = new Float32Array(rows.length * width);
      for (let r = 0; r < rows.length; r++) for (let c = 0; c < width; c++) data[r * width + c] = rows[r]![c]!;
      const out = await session.run({ input: new ort.Tensor("float32", data, [rows.length, width]) });
      JSON.stringify({ predictions: { label: Array.from(out.label!.data as BigInt64Array, Number), probabilities: Array.from(out.probabilities!.data as Float32Array) } });
    };
    const every = { "/v2/…/infer": call(v2), "/invocations": call(inv), "bare (parse, tensor, run, stringify)": bare };
    // HANDLER_ONLY=<part of a name> (e.g. "v2"): that path alone, for a CPU profile of it (`node --cpu-prof --import tsx`).
    const only = process.env.HANDLER_ONLY;
    const paths = Object.fromEntries(Object.entries(every).filter(([name]) => !only || name.includes(only)));
    for (const one of Object.values(paths)) await measure(one, 1);
    const results = new Map<string, number[]>();
    for (let pass = 0; pass < passes; pass++) {
      const order = pass % 2 === 0 ? Object.entries(paths) : Object.entries(paths).reverse();
      for (const [name, one] of order) {
        const { us, calls } = await measure(one, seconds);
        results.set(name, [...(results.get(name) ?? []), us]);
        console.log(`pass ${pass + 1} ${name}: ${us.toFixed(1)} µs of this thread per call (${calls} calls); load ${os.loadavg()[0]!.toFixed(1)}`);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    console.log(`\nmedians of ${passes} passes (${seconds} s each), µs of the calling thread per request:`);
    for (const [name, values] of results) console.log(`  ${name}: ${median(values).toFixed(1)}`);
    await server.close();
    await session.release();
    const { closeInferenceLog } = await import("@/server/monitoring/inference-log");
    await closeInferenceLog();
    await (await getDatabase()).close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await postgres.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
