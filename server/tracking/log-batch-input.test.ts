// The hand-written log-batch check against zLogBatch: over generated inputs, whatever it accepts zod accepts with
// the same result, and parseLogBatch answers every input (value or error message) exactly as zLogBatch.parse does.
import { describe, expect, it } from "vitest";
import { parseLogBatch, readPlainLogBatch } from "./log-batch-input";
import { zLogBatch } from "./schema";

const numbers: unknown[] = [0, 1, -0, 1.5, -2.25e-300, 1e308, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), NaN, Infinity, -Infinity, "1", "1.5", "NaN", "-Infinity", "x", null, true, {}, [], ""];
const texts: unknown[] = ["loss", "val/acc:top-1 é", "", "a\u0000b", "x".repeat(300), 5, null, {}, ["a"]];
const runIds: unknown[] = ["0123456789abcdef0123456789abcdef", "run-1", "", "a/b", "x".repeat(65), 7, null, undefined];

let seed = 11;
function pick<T>(items: readonly T[]): T {
  seed = (seed * 48271) % 2147483647;
  return items[seed % items.length];
}
const chance = (percent: number) => pick(Array.from({ length: 100 }, (_, i) => i)) < percent;

/** A metric, usually of the common shape, sometimes with one field changed, dropped or added. */
function metric(): unknown {
  const m: Record<string, unknown> = { key: "loss", value: 0.5, timestamp: 1_700_000_000_000, step: 3 };
  if (chance(20)) delete m.step;
  if (chance(35)) {
    const field = pick(["key", "value", "timestamp", "step"]);
    if (chance(15)) delete m[field];
    else m[field] = field === "key" ? pick(texts) : pick(numbers);
  }
  if (chance(5)) m.extra = 1;
  if (chance(2)) return pick([null, "m", 3, [m], JSON.parse('{"__proto__": {"key": "a"}, "key": "a", "value": 1, "timestamp": 1}')]);
  return m;
}

function keyValue(): unknown {
  const kv: Record<string, unknown> = { key: "lr", value: "0.1" };
  if (chance(30)) kv[pick(["key", "value"])] = pick(texts);
  if (chance(5)) delete kv[pick(["key", "value"])];
  if (chance(5)) kv.other = "x";
  return chance(3) ? pick([null, "kv", 1]) : kv;
}

function list(item: () => unknown, max: number): unknown {
  if (chance(40)) return undefined;
  if (chance(5)) return pick([null, "list", 3, {}]);
  return Array.from({ length: pick(Array.from({ length: max + 1 }, (_, i) => i)) }, item);
}

function logBatchInput(): unknown {
  const input: Record<string, unknown> = {
    run_id: chance(85) ? "0123456789abcdef0123456789abcdef" : pick(runIds),
    metrics: chance(85) ? Array.from({ length: 5 }, metric) : list(metric, 6),
    params: list(keyValue, 3),
    tags: list(keyValue, 3),
  };
  for (const name of ["run_id", "metrics", "params", "tags"]) if (input[name] === undefined && chance(70)) delete input[name];
  if (chance(10)) input.run_uuid = "other";
  if (chance(2)) return pick([null, [], "body", 1]);
  return input;
}

function outcome(parse: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: parse() };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

describe("log-batch input read by hand", () => {
  it("accepts only what zLogBatch accepts, returns what it returns, and leaves every other answer to it", () => {
    let byHand = 0;
    let byZod = 0;
    for (let i = 0; i < 1500; i++) {
      const input = logBatchInput();
      const described = JSON.stringify(input);
      const plain = readPlainLogBatch(input);
      const checked = zLogBatch.safeParse(input);
      if (plain) {
        byHand++;
        expect(checked.success, described).toBe(true);
        expect(plain, described).toStrictEqual(checked.data);
      } else byZod++;
      expect(outcome(() => parseLogBatch(input)), described).toStrictEqual(outcome(() => zLogBatch.parse(input)));
    }
    // Both paths were taken many times, so neither a check that refuses everything nor one that accepts everything passes.
    expect(byHand).toBeGreaterThan(150);
    expect(byZod).toBeGreaterThan(150);
  });

  it("reads the batch a training loop sends, and drops fields zod's object drops", () => {
    const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: `m${i % 10}`, value: i / 7, timestamp: 1_700_000_000_000 + i, step: i }));
    const input = { run_id: "abc123", metrics, run_uuid: "abc123", unknown: true };
    expect(readPlainLogBatch(input)).toStrictEqual({ run_id: "abc123", metrics });
    expect(readPlainLogBatch(input)).toStrictEqual(zLogBatch.parse(input));
    // A value as a string ("NaN", "1.5") is zod's to convert.
    expect(readPlainLogBatch({ run_id: "abc123", metrics: [{ key: "m", value: "NaN", timestamp: 1 }] })).toBeNull();
  });
});
