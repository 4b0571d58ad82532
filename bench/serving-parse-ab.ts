// A-B of what an answered serving request spends parsing its body into tensors (server/serving/protocols.ts and
// tensors.ts: MLflow `inputs`, `dataframe_split`, `dataframe_records` and OIP `inputs`, one 30-column row each) between
// source trees, in one process: `npx tsx bench/serving-parse-ab.ts <tree A> <tree B>`. The trees' modules are loaded
// side by side and timed in alternation, PARSE_ROUNDS times (default 21) of PARSE_MS (default 100) each, so both meet
// the same machine load; it reports each tree's CPU ns per parse (median of the rounds) and the median of the per-round B/A ratios.
// It isolates the parse from HTTP, authentication and the model run, which bench/serving-ab.ts measures as a whole
// and whose noise on a shared machine hides a change of a few per cent. Bodies are parsed from the same objects
// every time, as JSON.parse has already made them.
import path from "node:path";
import { pathToFileURL } from "node:url";

interface Protocols {
  parseMlflowJson(model: unknown, body: unknown): unknown;
  parseOipInfer(model: unknown, body: unknown): unknown;
}

const [treeA, treeB] = process.argv.slice(2);
if (!treeA || !treeB) throw new Error("usage: npx tsx bench/serving-parse-ab.ts <tree A> <tree B>");
const rounds = Number(process.env.PARSE_ROUNDS ?? 21);
const sliceMs = Number(process.env.PARSE_MS ?? 100);

const columns = Array.from({ length: 30 }, (_, i) => `f${i}`);
const row = columns.map((_, i) => 0.5 + i / 7);
/** A served 30-feature float32 model as serving describes it (a named feature matrix [N, 30]). */
const model = {
  name: "m",
  modelId: 1,
  version: "1",
  versionId: 1,
  inputs: [{ name: "input", elementType: "float32", shape: [null, 30] }],
  outputs: [{ name: "label", elementType: "int64", shape: [null] }],
  fields: columns.map((key, column) => ({ key, input: 0, column })),
  fieldIndex: new Map(columns.map((key, i) => [key, i])),
  namedColumns: true,
  digest: "0".repeat(64),
  handlesMissing: false,
  binary: null,
  retired: false,
};
const bodies: [string, (p: Protocols) => unknown][] = [
  ["mlflow inputs", (p) => p.parseMlflowJson(model, { inputs: [row] })],
  ["mlflow dataframe_split", (p) => p.parseMlflowJson(model, { dataframe_split: { columns, data: [row] } })],
  ["mlflow dataframe_records", (p) => p.parseMlflowJson(model, { dataframe_records: [Object.fromEntries(columns.map((c, i) => [c, row[i]]))] })],
  ["oip inputs", (p) => p.parseOipInfer(model, { inputs: [{ name: "input", shape: [1, 30], datatype: "FP32", data: row }] })],
];

async function load(tree: string): Promise<Protocols> {
  return (await import(pathToFileURL(path.resolve(tree, "server/serving/protocols.ts")).href)) as Protocols;
}

/**
 * CPU ns (this process's user + system time) per call of `run`, over about `ms` milliseconds of wall time: on a
 * shared machine the wall clock also counts the time other processes held the core.
 */
function time(run: () => unknown, ms: number): number {
  let calls = 0;
  const until = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  const cpu = process.cpuUsage();
  while (process.hrtime.bigint() < until) {
    for (let i = 0; i < 200; i++) run();
    calls += 200;
  }
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) * 1000) / calls;
}

const trees = [
  { tree: treeA, protocols: await load(treeA) },
  { tree: treeB, protocols: await load(treeB) },
];
for (const [name, parse] of bodies) {
  // Warm both trees' code up before measuring (optimised by V8 the same way).
  for (const { protocols } of trees) time(() => parse(protocols), sliceMs);
  const ratios: number[] = [];
  const perRound: string[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? trees : [...trees].reverse();
    const ns = new Map<string, number>();
    for (const { tree, protocols } of order) ns.set(tree, time(() => parse(protocols), sliceMs));
    ratios.push(ns.get(treeB)! / ns.get(treeA)!);
    perRound.push(`${ns.get(treeA)!.toFixed(0)}/${ns.get(treeB)!.toFixed(0)}`);
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(`${name}: CPU ns per parse A/B by round ${perRound.join(" ")}; median B/A ${sorted[Math.floor(sorted.length / 2)]!.toFixed(3)} (min ${sorted[0]!.toFixed(3)}, max ${sorted[sorted.length - 1]!.toFixed(3)})`);
}
