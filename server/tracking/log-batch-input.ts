// log-batch input read without zod for the shape training loops send, with zLogBatch as the one source of truth.
import { RUN_ID_PATTERN, zLogBatch, type KeyValue, type LogBatchInput, type MetricInput } from "./schema";

/*
 * zLogBatch.parse of a 1,000-metric batch costs about as much as JSON.parse of its body. The common
 * shape (numbers as JSON numbers, no extra fields) is checked here by hand instead; anything else,
 * valid or not, goes to zLogBatch, so every refusal and its message come from zod as before. The check
 * accepts only inputs zLogBatch accepts, and returns what zLogBatch returns for them (log-batch-input.test.ts
 * compares the two over generated inputs).
 */

const hasNul = (text: string) => text.includes("\u0000");

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A metric as JSON numbers: { key, value, timestamp, step? } and nothing else, each as zMetricInput wants it. */
function isPlainMetric(m: unknown): m is MetricInput {
  if (!isPlainObject(m)) return false;
  let fields = 0;
  for (const name in m) {
    if (name !== "key" && name !== "value" && name !== "timestamp" && name !== "step") return false;
    fields++;
  }
  const { key, value, timestamp, step } = m;
  return (
    typeof key === "string" && !hasNul(key) &&
    typeof value === "number" && Number.isFinite(value) &&
    Number.isSafeInteger(timestamp) &&
    (step === undefined ? fields === 3 : Number.isSafeInteger(step))
  );
}

function isPlainKeyValue(kv: unknown): kv is KeyValue {
  if (!isPlainObject(kv)) return false;
  for (const name in kv) if (name !== "key" && name !== "value") return false;
  return typeof kv.key === "string" && !hasNul(kv.key) && typeof kv.value === "string" && !hasNul(kv.value);
}

function allOf<T>(items: unknown, check: (item: unknown) => item is T): items is T[] | undefined {
  if (items === undefined) return true;
  if (!Array.isArray(items)) return false;
  for (let i = 0; i < items.length; i++) if (!check(items[i])) return false;
  return true;
}

/** The input as zLogBatch would return it, when it has the common shape; null to let zLogBatch decide. */
export function readPlainLogBatch(input: unknown): LogBatchInput | null {
  if (!isPlainObject(input)) return null;
  const { run_id, metrics, params, tags } = input;
  if (typeof run_id !== "string" || !RUN_ID_PATTERN.test(run_id)) return null;
  if (!allOf(metrics, isPlainMetric) || !allOf(params, isPlainKeyValue) || !allOf(tags, isPlainKeyValue)) return null;
  // Unknown fields are dropped and a field present as undefined is kept, as zod's object does; arrays
  // are copied so that the result owns them.
  return {
    run_id,
    ...("metrics" in input ? { metrics: metrics?.slice() } : {}),
    ...("params" in input ? { params: params?.slice() } : {}),
    ...("tags" in input ? { tags: tags?.slice() } : {}),
  };
}

/** log-batch's input, validated: by hand for the common shape, by zLogBatch (and its messages) otherwise. */
export function parseLogBatch(input: unknown): LogBatchInput {
  return readPlainLogBatch(input) ?? zLogBatch.parse(input);
}
