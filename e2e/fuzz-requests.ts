// The fuzzer's seeded request generator: odd values, mutated MLflow bodies, scoring and OIP payloads, uploads and paths.
import { seededRandom } from "../lib/seeded-random";
import { E2E_BASE_URL } from "./credentials";

/** Resources the fuzzer may write to are named with this prefix; the demo's own data is only read. */
export const PREFIX = "fuzz";

export type Auth = "token" | "none" | "garbage" | "cookie";

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  auth: Auth;
  kind: string;
}

export interface Known {
  token: string;
  experimentIds: string[];
  runIds: string[];
  artifactRoots: string[];
  modelNames: string[];
  aliases: string[];
  datasetNames: string[];
  fuzzExperimentId: string;
  fuzzRunId: string;
  fuzzModel: string;
  inputName: string;
  width: number;
}

// ---- seeded choices ----

export class Dice {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const ODD_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfffy",
  "😀",
  "\u202eevil",
  "..",
  "../../etc/passwd",
  "%2e%2e",
  "x%2Fy",
  "%zz",
  "%",
  "/",
  "\\",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "NaN",
  "Infinity",
  "-1",
  "1e400",
  "9".repeat(40),
  "é".repeat(300),
  "x".repeat(5000),
  "mlflow-artifacts:/../../etc",
  "file:///etc",
  "production",
  "null",
  "true",
  "[]",
  "{}",
];

/** Numbers that are never a small id of the demo's data (writes could otherwise reach it). */
const ODD_NUMBERS = [-1, 1.5, 2 ** 53, 2 ** 64, -(2 ** 63), 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 123456789012, 0.1];

function oddString(d: Dice): string {
  if (d.chance(0.15)) return Array.from({ length: 1 + d.int(40) }, () => String.fromCharCode(d.int(0x3000))).join("");
  if (d.chance(0.005)) return "y".repeat(200_000 + d.int(100_000));
  return d.pick(ODD_STRINGS);
}

function deep(d: Dice, depth: number): unknown {
  let value: unknown = oddValue(d, 0);
  for (let i = 0; i < depth; i++) value = d.chance(0.5) ? [value] : { k: value };
  return value;
}

function oddValue(d: Dice, level = 1): unknown {
  const roll = d.int(10);
  if (roll === 0) return null;
  if (roll === 1) return d.chance(0.5);
  if (roll <= 3) return d.pick(ODD_NUMBERS);
  if (roll <= 6) return oddString(d);
  if (level > 2) return oddString(d);
  if (roll === 7) return Array.from({ length: d.int(4) }, () => oddValue(d, level + 1));
  if (roll === 8) return Object.fromEntries(Array.from({ length: d.int(4) }, () => [oddString(d).slice(0, 30), oddValue(d, level + 1)]));
  // 20,000-deep JSON comes as raw text from malformedText: JSON.stringify itself cannot write it.
  return deep(d, d.pick([10, 100, 1000]));
}

/** A valid-looking body with some fields replaced, dropped or added. */
function mutate(d: Dice, template: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...template };
  const keys = Object.keys(out);
  const edits = 1 + d.int(3);
  for (let i = 0; i < edits; i++) {
    const roll = d.int(4);
    if (roll === 0 && keys.length) delete out[d.pick(keys)];
    else if (roll === 1) out[oddString(d).slice(0, 40) || "extra"] = oddValue(d);
    else if (keys.length) out[d.pick(keys)] = oddValue(d);
  }
  return out;
}

/** Raw bodies that are not JSON, or JSON of the wrong shape. */
function malformedText(d: Dice): string {
  return d.pick([
    () => "{",
    () => '{"a": }',
    () => "[1, 2",
    () => "null",
    () => "42",
    () => '"just a string"',
    () => JSON.stringify(JSON.stringify({ a: 1 })),
    () => "[".repeat(20_000) + "]".repeat(20_000),
    () => '{"a":'.repeat(5000) + "1" + "}".repeat(5000),
    () => '{"name": "\\ud800"}',
    () => '{"name": "a\\u0000b"}',
    () => "\u0000\u0001\u0002",
    () => "﻿{}",
    () => '{"a": 1e999999}',
    () => '{"a": NaN}',
    () => "<xml/>",
    () => "a=1&b=2",
    () => Array.from({ length: 200 }, () => String.fromCharCode(d.int(256))).join(""),
  ])();
}

// ---- the surface ----

const READS: [string, (k: Known, d: Dice) => Record<string, unknown>][] = [
  ["experiments/get", (k, d) => ({ experiment_id: d.pick(k.experimentIds) })],
  ["experiments/get-by-name", () => ({ experiment_name: "Demo: breast cancer classifier" })],
  ["experiments/search", () => ({ max_results: 10, filter: "name LIKE 'Demo%'" })],
  ["experiments/list", () => ({})],
  ["runs/get", (k, d) => ({ run_id: d.pick(k.runIds) })],
  ["runs/search", (k) => ({ experiment_ids: k.experimentIds, filter: "metrics.accuracy > 0.5", max_results: 5, order_by: ["metrics.accuracy DESC"] })],
  ["metrics/get-history", (k, d) => ({ run_id: d.pick(k.runIds), metric_key: "accuracy" })],
  ["metrics/get-history-bulk-interval", (k, d) => ({ run_ids: [d.pick(k.runIds)], metric_key: "accuracy", max_results: 10 })],
  ["artifacts/list", (k, d) => ({ run_id: d.pick(k.runIds), path: "" })],
  ["registered-models/get", (k, d) => ({ name: d.pick(k.modelNames) })],
  ["registered-models/search", () => ({ filter: "name LIKE '%'", max_results: 5 })],
  ["registered-models/get-latest-versions", (k, d) => ({ name: d.pick(k.modelNames) })],
  ["registered-models/alias", (k, d) => ({ name: d.pick(k.modelNames), alias: d.pick(k.aliases) })],
  ["model-versions/get", (k, d) => ({ name: d.pick(k.modelNames), version: "1" })],
  ["model-versions/search", (k, d) => ({ filter: `name = '${d.pick(k.modelNames)}'` })],
  ["model-versions/get-download-uri", (k, d) => ({ name: d.pick(k.modelNames), version: "1" })],
];

/** Writes, aimed only at the fuzzer's own experiment, run and model. */
const WRITES: [string, string, (k: Known) => Record<string, unknown>][] = [
  ["POST", "experiments/create", () => ({ name: `${PREFIX}-exp`, tags: [{ key: "a", value: "b" }] })],
  ["POST", "experiments/update", (k) => ({ experiment_id: k.fuzzExperimentId, new_name: `${PREFIX}-experiment` })],
  ["POST", "experiments/set-experiment-tag", (k) => ({ experiment_id: k.fuzzExperimentId, key: "k", value: "v" })],
  ["POST", "experiments/delete-experiment-tag", (k) => ({ experiment_id: k.fuzzExperimentId, key: "k" })],
  ["POST", "experiments/search", () => ({ max_results: 5, filter: "tags.team = 'risk'", order_by: ["name"] })],
  ["POST", "runs/create", (k) => ({ experiment_id: k.fuzzExperimentId, start_time: 1, run_name: "r", tags: [{ key: "t", value: "v" }] })],
  ["POST", "runs/update", (k) => ({ run_id: k.fuzzRunId, status: "FINISHED", end_time: 2 })],
  ["POST", "runs/search", (k) => ({ experiment_ids: [k.fuzzExperimentId], filter: "params.lr = '0.1'", max_results: 3 })],
  ["POST", "runs/log-metric", (k) => ({ run_id: k.fuzzRunId, key: "m", value: 0.5, timestamp: 1, step: 0 })],
  ["POST", "runs/log-parameter", (k) => ({ run_id: k.fuzzRunId, key: "p", value: "1" })],
  ["POST", "runs/set-tag", (k) => ({ run_id: k.fuzzRunId, key: "t", value: "v" })],
  ["POST", "runs/delete-tag", (k) => ({ run_id: k.fuzzRunId, key: "t" })],
  ["POST", "runs/log-batch", (k) => ({ run_id: k.fuzzRunId, metrics: [{ key: "m", value: 1, timestamp: 1, step: 1 }], params: [{ key: "q", value: "2" }], tags: [] })],
  ["POST", "runs/log-inputs", (k) => ({ run_id: k.fuzzRunId, datasets: [{ tags: [], dataset: { name: "d", digest: "x", source_type: "local", source: "{}" } }] })],
  ["POST", "logged-models", (k) => ({ experiment_id: k.fuzzExperimentId, name: "lm", source_run_id: k.fuzzRunId })],
  ["POST", "logged-models/search", (k) => ({ experiment_ids: [k.fuzzExperimentId], max_results: 5 })],
  ["POST", "runs/log-model", (k) => ({ run_id: k.fuzzRunId, model_json: "{}" })],
  ["POST", "runs/log-outputs", (k) => ({ run_id: k.fuzzRunId, models: [] })],
  ["POST", "registered-models/create", () => ({ name: `${PREFIX}-model-new`, description: "d" })],
  ["PATCH", "registered-models/update", (k) => ({ name: k.fuzzModel, description: "d" })],
  ["POST", "registered-models/rename", (k) => ({ name: k.fuzzModel, new_name: `${PREFIX}-model` })],
  ["POST", "registered-models/set-tag", (k) => ({ name: k.fuzzModel, key: "k", value: "v" })],
  ["DELETE", "registered-models/delete-tag", (k) => ({ name: k.fuzzModel, key: "k" })],
  ["POST", "registered-models/alias", (k) => ({ name: k.fuzzModel, alias: "champion", version: "1" })],
  ["DELETE", "registered-models/alias", (k) => ({ name: k.fuzzModel, alias: "champion" })],
  ["POST", "model-versions/create", (k) => ({ name: k.fuzzModel, source: `mlflow-artifacts:/${k.fuzzExperimentId}/${k.fuzzRunId}/artifacts/model`, run_id: k.fuzzRunId })],
  ["PATCH", "model-versions/update", (k) => ({ name: k.fuzzModel, version: "1", description: "d" })],
  ["POST", "model-versions/transition-stage", (k) => ({ name: k.fuzzModel, version: "1", stage: "Staging", archive_existing_versions: false })],
  ["POST", "model-versions/set-tag", (k) => ({ name: k.fuzzModel, version: "1", key: "k", value: "v" })],
  ["DELETE", "model-versions/delete-tag", (k) => ({ name: k.fuzzModel, version: "1", key: "k" })],
];

/** A path segment percent-encoded as a client would send it (randomPath adds malformed escapes). */
function encodeSegment(raw: string): string {
  try {
    return encodeURIComponent(raw).slice(0, 2000);
  } catch {
    return encodeURIComponent(raw.replace(/\p{Surrogate}/gu, "\ufffd")).slice(0, 2000);
  }
}

/** A query value: percent-encoded, or sometimes raw or with a broken escape (URLSearchParams reads those leniently). */
function encodeQueryValue(d: Dice, raw: string): string {
  const roll = d.int(4);
  if (roll === 0) return raw.replace(/[&#\s]/g, "_");
  return roll === 1 ? `%zz${encodeSegment(raw).slice(0, 60)}` : encodeSegment(raw);
}

/**
 * Random path segments; one in ten is a malformed escape (`%zz`, a lone `%`, a UTF-16 surrogate or overlong UTF-8
 * sequence) that Next.js cannot decode: scripts/server.mjs answers those 400 before Next.js' router sees them.
 */
function randomPath(d: Dice, segments: number): string {
  return Array.from({ length: segments }, () =>
    d.chance(0.1) ? d.pick(["%zz", "%", "a%2", "%ED%A0%80", "%C0%AF", "%FF"]) : encodeSegment(oddString(d).slice(0, 80) || "x"),
  ).join("/");
}

function jsonBody(d: Dice, value: unknown): string {
  return d.chance(0.15) ? malformedText(d) : JSON.stringify(value);
}

function modelRef(d: Dice, k: Known): string {
  return d.pick([
    () => `breast-cancer-rf@${d.pick(k.aliases)}`,
    () => "breast-cancer-rf/1",
    () => "breast-cancer-rf",
    () => `${d.pick(k.modelNames)}/${d.pick(["0", "-1", "99999", "1.5", "x"])}`,
    () => `${k.fuzzModel}`,
    () => randomPath(d, 1 + d.int(2)),
  ])();
}

function scoringBody(d: Dice, k: Known): unknown {
  const row = () => Array.from({ length: d.chance(0.8) ? k.width : d.int(60) }, () => (d.chance(0.9) ? d.next() * 30 : oddValue(d)));
  const rows = () => Array.from({ length: d.chance(0.95) ? 1 + d.int(5) : d.pick([0, 3000]) }, row);
  const body = d.pick([
    () => ({ inputs: rows() }),
    () => ({ instances: rows() }),
    () => ({ inputs: { [k.inputName]: rows() } }),
    () => ({ dataframe_split: { data: rows() } }),
    () => ({ dataframe_split: { columns: Array.from({ length: k.width }, (_, i) => `f${i}`), data: rows() } }),
    () => ({ dataframe_records: rows().map((r) => Object.fromEntries(r.map((v, i) => [`f${i}`, v]))) }),
    () => ({ inputs: rows(), instances: rows() }),
    () => ({}),
  ])();
  return d.chance(0.35) ? mutate(d, body as Record<string, unknown>) : body;
}

function oipBody(d: Dice, k: Known): unknown {
  const n = 1 + d.int(3);
  const data = Array.from({ length: n * k.width }, () => (d.chance(0.95) ? d.next() : oddValue(d)));
  const tensor: Record<string, unknown> = { name: k.inputName, datatype: d.pick(["FP32", "FP64", "INT64", "BYTES", "BOOL", "FP16", "x"]), shape: [n, k.width], data };
  const body = { id: "fuzz", inputs: [d.chance(0.5) ? mutate(d, tensor) : tensor], ...(d.chance(0.2) ? { outputs: [{ name: oddString(d) }] } : {}) };
  return d.chance(0.3) ? mutate(d, body) : body;
}

function csvBody(d: Dice, k: Known): string {
  const header = Array.from({ length: k.width }, (_, i) => `f${i}`).join(",");
  const lines = Array.from({ length: 1 + d.int(4) }, () => Array.from({ length: d.chance(0.8) ? k.width : d.int(40) }, () => (d.chance(0.9) ? String(d.next()) : oddString(d).slice(0, 20))).join(","));
  return d.pick([() => [header, ...lines].join("\n"), () => lines.join("\n"), () => malformedText(d), () => "\"unterminated,\n1,2"])();
}

/** The next request of the seeded sequence. */
export function nextRequest(d: Dice, k: Known): FuzzRequest {
  const auth: Auth = d.chance(0.12) ? d.pick<Auth>(["none", "garbage"]) : "token";
  const json = { "content-type": "application/json" };
  const prefix = d.chance(0.85) ? "/api/2.0/mlflow" : "/ajax-api/2.0/mlflow";
  const roll = d.int(100);
  if (roll < 20) {
    const [path, template] = d.pick(READS);
    const params = d.chance(0.7) ? mutate(d, template(k, d)) : template(k, d);
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      for (const item of Array.isArray(value) ? value : [value]) query.append(key, typeof item === "string" ? item : JSON.stringify(item) ?? "");
    }
    let search = query.toString();
    if (d.chance(0.1)) search += `&${d.pick(["%zz", "a=%", "run_id=%00", "=%E0%A4%A", "max_results=1e999"])}`;
    return { method: "GET", path: `${prefix}/${path}?${search}`, headers: {}, auth, kind: "mlflow read" };
  }
  if (roll < 45) {
    const [method, path, template] = d.pick(WRITES);
    return { method, path: `${prefix}/${path}`, headers: json, body: jsonBody(d, mutate(d, template(k))), auth, kind: "mlflow write" };
  }
  if (roll < 50) {
    // Unknown endpoints, wrong methods, odd path segments.
    const method = d.pick(["GET", "POST", "PATCH", "DELETE", "PUT"]);
    const path = d.chance(0.5) ? `${d.pick([...READS.map((r) => r[0]), ...WRITES.map((w) => w[1])])}${d.chance(0.5) ? `/${randomPath(d, 1)}` : ""}` : randomPath(d, 1 + d.int(3));
    return { method, path: `${prefix}/${path}`, headers: json, body: method === "GET" ? undefined : jsonBody(d, oddValue(d)), auth, kind: "mlflow odd path" };
  }
  if (roll < 57) {
    // The artifact proxy: reads anywhere, writes only under the fuzzer's own folder.
    const artifacts = d.chance(0.5) ? "/api/2.0/mlflow-artifacts/artifacts" : "/ajax-api/2.0/mlflow-artifacts/artifacts";
    const method = d.pick(["GET", "GET", "PUT", "DELETE"]);
    if (method === "GET") {
      const path = d.chance(0.5) ? `${d.pick(k.artifactRoots)}/${d.pick(["model.onnx", "MLmodel", "", "missing.bin", randomPath(d, 1)])}` : randomPath(d, 1 + d.int(3));
      const query = d.chance(0.2) ? `?path=${encodeQueryValue(d, d.chance(0.5) ? d.pick(k.artifactRoots) : oddString(d))}` : "";
      return { method, path: `${artifacts}/${path}${query}`, headers: {}, auth, kind: "artifacts" };
    }
    return { method, path: `${artifacts}/${PREFIX}-artifacts/${randomPath(d, 1 + d.int(2))}`, headers: {}, body: method === "PUT" ? oddString(d) : undefined, auth, kind: "artifacts" };
  }
  if (roll < 75) {
    const ref = modelRef(d, k);
    const csv = d.chance(0.15);
    const contentType = csv ? "text/csv" : d.pick(["application/json", "application/json", "application/json; charset=utf-8", "text/plain", "", "multipart/form-data; boundary=x"]);
    const body = csv ? csvBody(d, k) : jsonBody(d, scoringBody(d, k));
    const method = d.chance(0.95) ? "POST" : "GET";
    return { method, path: `/api/serve/${ref}/${d.chance(0.95) ? "invocations" : randomPath(d, 1)}`, headers: contentType ? { "content-type": contentType } : {}, body: method === "POST" ? body : undefined, auth, kind: "serving" };
  }
  if (roll < 88) {
    const name = d.chance(0.8) ? "breast-cancer-rf" : d.chance(0.5) ? k.fuzzModel : randomPath(d, 1);
    const tail = d.pick([
      () => "infer",
      () => "infer",
      () => `versions/${d.pick(["1", "2", "0", "x", "99999"])}/infer`,
      () => "ready",
      () => "",
      () => `versions/1/${randomPath(d, 1)}`,
    ])();
    const method = tail.endsWith("infer") ? (d.chance(0.95) ? "POST" : "GET") : d.chance(0.9) ? "GET" : "POST";
    const path = d.chance(0.9) ? `/v2/models/${name}${tail ? `/${tail}` : ""}` : `/v2/${d.pick(["health/live", "health/ready", "", "models", randomPath(d, 2)])}`;
    return { method, path, headers: json, body: method === "POST" ? jsonBody(d, oipBody(d, k)) : undefined, auth, kind: "oip" };
  }
  if (roll < 92) {
    const name = d.chance(0.8) ? "breast-cancer-rf" : randomPath(d, 1);
    const item = { request_id: d.chance(0.5) ? `${PREFIX}-${d.int(1000)}` : oddString(d), label: d.pick([0, 1, "yes", null, 1e308]), row: d.pick([0, 1, -1, 2 ** 40]) };
    const body = d.chance(0.5) ? { feedback: Array.from({ length: d.pick([0, 1, 3, 2000]) }, () => (d.chance(0.9) ? item : mutate(d, item))) } : mutate(d, item);
    return { method: "POST", path: `/api/serve/${name}/feedback`, headers: json, body: jsonBody(d, body), auth, kind: "feedback" };
  }
  if (roll < 95) {
    // Uploads: a dataset (always under the fuzzer's name, or refused for its metadata) and an ONNX file.
    if (d.chance(0.6)) {
      const meta = d.chance(0.5) ? mutate(d, { name: `${PREFIX}-upload`, format: d.pick(["csv", "parquet"]), filename: "f.csv", masking: {} }) : oddValue(d);
      const name = (meta as { name?: unknown } | null)?.name;
      const safeMeta = typeof name === "string" && name !== `${PREFIX}-upload` ? { ...(meta as object), name: `${PREFIX}-upload ${name}` } : meta;
      const metaText = d.chance(0.8) ? JSON.stringify(safeMeta) ?? "" : malformedText(d);
      return { method: "POST", path: `/api/datasets/upload?meta=${encodeQueryValue(d, metaText)}`, headers: { "content-type": "application/octet-stream" }, body: csvBody(d, k), auth, kind: "upload" };
    }
    const query = d.chance(0.8) ? `name=${encodeQueryValue(d, `${PREFIX}-onnx${d.chance(0.3) ? oddString(d) : ""}`)}` : d.pick(["", "name=", "name=%zz", "description=x"]);
    const body = d.chance(0.5) ? Buffer.from(Array.from({ length: d.int(2000) }, () => d.int(256))) : oddString(d);
    return { method: "POST", path: `/api/models/upload?${query}`, headers: { "content-type": "application/octet-stream" }, body, auth, kind: "upload" };
  }
  // Other REST routes: exports, dataset and model files, sign-in with unknown users, tRPC queries.
  return d.pick<() => FuzzRequest>([
    () => ({ method: "GET", path: `/api/runs/export?${d.pick(["", `experiment_ids=${d.pick(k.experimentIds)}`, "experiment_ids=%zz", `filter=${encodeQueryValue(d, oddString(d))}`, `columns=${encodeQueryValue(d, oddString(d))}`, "order_by=metrics.x%20DESC"])}`, headers: {}, auth, kind: "export" }),
    () => ({ method: "GET", path: `/api/audit/export?${d.pick(["", "from=x", "to=-1", `actor=${encodeQueryValue(d, oddString(d))}`, "from=1e400"])}`, headers: {}, auth, kind: "export" }),
    () => ({ method: "GET", path: `/api/datasets?q=${encodeQueryValue(d, oddString(d))}`, headers: {}, auth, kind: "datasets" }),
    () => ({ method: "GET", path: `/api/datasets/${encodeSegment(d.chance(0.5) ? d.pick(k.datasetNames) : oddString(d) || "x")}/versions/${d.pick(["1", "0", "-1", "x", "99999", "%25zz"])}${d.pick(["", "/profile", "/download"])}`, headers: {}, auth, kind: "datasets" }),
    () => ({ method: "GET", path: `/api/models/${encodeSegment(d.chance(0.5) ? d.pick(k.modelNames) : oddString(d) || "x")}/versions/${d.pick(["1", "0", "x", "99999"])}/model.onnx`, headers: {}, auth, kind: "model file" }),
    () => ({ method: "POST", path: "/api/auth/sign-in", headers: json, body: jsonBody(d, mutate(d, { username: `${PREFIX}-nobody-${d.int(50)}`, password: "wrong-password-123" })), auth: "none", kind: "sign-in" }),
    () => ({ method: "GET", path: `/api/trpc/${d.pick(["tracking.experiments", "registry.models", "datasets.list", "auth.me", "nothing.here", randomPath(d, 1)])}?input=${encodeQueryValue(d, d.chance(0.5) ? JSON.stringify({ json: oddValue(d) }) : malformedText(d))}`, headers: {}, auth: "cookie", kind: "trpc" }),
    () => ({ method: "POST", path: `/api/trpc/${d.pick(["nothing.here", "tracking.experiments"])}`, headers: json, body: malformedText(d), auth: "cookie", kind: "trpc" }),
  ])();
}

export function headersFor(request: FuzzRequest, k: Known, d: Dice): Record<string, string> {
  const headers = { ...request.headers };
  if (request.auth === "token") headers.authorization = `Bearer ${k.token}`;
  if (request.auth === "garbage") headers.authorization = d.pick([`Bearer mops_${"0".repeat(40)}`, "Bearer ", "Basic !!!", `Basic ${Buffer.from(`${PREFIX}-nobody:x`).toString("base64")}`, "Token abc", "Bearer \u00e9"]);
  if (request.auth === "cookie") headers.origin = E2E_BASE_URL;
  if (d.chance(0.05)) headers["x-request-id"] = d.pick(["", "x".repeat(500), "a b", "ok-id-1"]);
  return headers;
}
