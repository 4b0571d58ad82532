// metrics/get-history (paged, non-finite values) and get-history-bulk-interval (MLflow's sampling), on every backend.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { expectMlflowError } from "../testing/expect-mlflow-error";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { historyReadAheadsSettled } from "./metric-history";
import { snapshotCacheStats } from "./snapshot-cache";

type Api = ReturnType<typeof mlflowWire>;
interface WireMetric {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
  run_id?: string;
}


describe.each(testBackends)("metric history on %s", (kind) => {
  let studio: TestStudio;
  let api: Api;
  let experimentId: string;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    api = mlflowWire(studio);
    experimentId = (await api.post("experiments/create", { name: "history" })).body.experiment_id as string;
  });
  afterAll(async () => studio.close());

  async function runWith(points: { key?: string; value: number | string; step: number; timestamp?: number }[]): Promise<string> {
    const created = await api.post("runs/create", { experiment_id: experimentId, start_time: 1 });
    const id = (created.body.run as { info: { run_id: string } }).info.run_id;
    for (let i = 0; i < points.length; i += 1000) {
      const metrics = points.slice(i, i + 1000).map((p) => ({ key: p.key ?? "m", value: p.value, step: p.step, timestamp: p.timestamp ?? 1000 + p.step }));
      const res = await api.post("runs/log-batch", { run_id: id, metrics });
      expect(res.status, res.text).toBe(200);
    }
    return id;
  }

  it("returns the whole history ordered by step, with NaN and ±Infinity encoded as MLflow does", async () => {
    const id = await runWith([
      { value: 1e308, step: 3 },
      { value: "NaN", step: 0 },
      { value: "Infinity", step: 1 },
      { value: "-Infinity", step: 2 },
      { value: -1e-300, step: 4 },
    ]);
    const res = await api.get("metrics/get-history", { run_id: id, metric_key: "m" });
    expect(res.status, res.text).toBe(200);
    expect(res.body.metrics).toEqual([
      { key: "m", value: "NaN", timestamp: 1000, step: 0 },
      { key: "m", value: "Infinity", timestamp: 1001, step: 1 },
      { key: "m", value: "-Infinity", timestamp: 1002, step: 2 },
      { key: "m", value: 1e308, timestamp: 1003, step: 3 },
      { key: "m", value: -1e-300, timestamp: 1004, step: 4 },
    ]);
    expect(res.body.next_page_token).toBeUndefined();
    // The latest value (greatest step) is what runs/get reports.
    const run = await api.get("runs/get", { run_id: id });
    expect(run.text).toContain('"value":-1e-300');
    const byUuid = await api.get("metrics/get-history", { run_uuid: id, metric_key: "m" });
    expect((byUuid.body.metrics as WireMetric[]).length).toBe(5);
  });

  it("returns every double exactly as logged with its key (the database encodes the JSON)", async () => {
    const values = [0.1 + 0.2, 1 / 3, -0.000123456789012345, 1.7976931348623157e308, 5e-324, 123456789.123456789, -42];
    const key = "val/top-1 accuracy: v2.0";
    const id = await runWith(values.map((value, step) => ({ key, value, step, timestamp: 1_700_000_000_000 + step })));
    const res = await api.get("metrics/get-history", { run_id: id, metric_key: key });
    expect(res.status, res.text).toBe(200);
    expect(res.body.metrics).toEqual(values.map((value, step) => ({ key, value, timestamp: 1_700_000_000_000 + step, step })));
    const paged = await api.get("metrics/get-history", { run_id: id, metric_key: key, max_results: "3" });
    expect((paged.body.metrics as WireMetric[]).map((m) => m.value)).toEqual(values.slice(0, 3));
    expect(paged.body.next_page_token).toEqual(expect.any(String));
  });

  it("pages with max_results and page_token, without duplicates or gaps", async () => {
    const points = Array.from({ length: 25 }, (_, i) => ({ value: i / 10, step: i }));
    // Two points at one step with different timestamps are both history.
    points.push({ value: 9, step: 5, timestamp: 999_999 } as (typeof points)[number]);
    const id = await runWith(points);
    const seen: WireMetric[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await api.get("metrics/get-history", { run_id: id, metric_key: "m", max_results: "10", ...(token ? { page_token: token } : {}) });
      expect(res.status, res.text).toBe(200);
      seen.push(...(res.body.metrics as WireMetric[]));
      token = res.body.next_page_token as string | undefined;
      pages++;
    } while (token && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(26);
    expect(seen.map((m) => `${m.step}/${m.timestamp}`)).toEqual([...new Set(seen.map((m) => `${m.step}/${m.timestamp}`))]);
    expect(seen.map((m) => m.step)).toEqual([...seen.map((m) => m.step)].sort((a, b) => a - b));
  });

  it("pages through NaN, ±Infinity and repeated steps from a cursor, and still takes an offset token", async () => {
    const id = await runWith([
      { value: "NaN", step: 0 },
      { value: "Infinity", step: 0, timestamp: 5 },
      { value: "-Infinity", step: 1 },
      { value: 0.1 + 0.2, step: 1, timestamp: 2 },
      { value: "NaN", step: 2, timestamp: 3 },
      { value: "NaN", step: 2, timestamp: 4 },
      { value: -0.5, step: 3 },
      // One step and timestamp, values a bit apart: the cursor must carry each value exactly.
      { value: 5e-324, step: 4, timestamp: 9 },
      { value: 1e-7, step: 4, timestamp: 9 },
      { value: 1.0000000000000002e-7, step: 4, timestamp: 9 },
      { value: 1.7976931348623157e308, step: 4, timestamp: 9 },
    ]);
    const whole = ((await api.get("metrics/get-history", { run_id: id, metric_key: "m" })).body.metrics as WireMetric[]);
    expect(whole).toHaveLength(11);
    expect(whole.slice(7).map((m) => m.value)).toEqual([5e-324, 1e-7, 1.0000000000000002e-7, 1.7976931348623157e308]);
    for (const size of [1, 2, 3]) {
      const seen: WireMetric[] = [];
      let token: string | undefined;
      do {
        const res = await api.get("metrics/get-history", { run_id: id, metric_key: "m", max_results: String(size), ...(token ? { page_token: token } : {}) });
        expect(res.status, res.text).toBe(200);
        seen.push(...(res.body.metrics as WireMetric[]));
        token = res.body.next_page_token as string | undefined;
      } while (token && seen.length < 30);
      expect(seen).toEqual(whole);
    }
    const offsetToken = Buffer.from(JSON.stringify({ offset: 5 })).toString("base64url");
    const rest = await api.get("metrics/get-history", { run_id: id, metric_key: "m", max_results: "5", page_token: offsetToken });
    expect(rest.body.metrics).toEqual(whole.slice(5, 10));
    const forged = Buffer.from(JSON.stringify({ after: [0, 0, "1; drop table metrics"] })).toString("base64url");
    expectMlflowError(await api.get("metrics/get-history", { run_id: id, metric_key: "m", page_token: forged }), 400, "INVALID_PARAMETER_VALUE", /page token/);
  });

  /** The series as the table holds it, in page order, as the wire writes it (NaN and ±Infinity as MLflow's strings). */
  async function stored(runId: string, key = "m"): Promise<WireMetric[]> {
    const rows = await queryRows<{ step: string | number; timestamp: string | number; value: number }>(
      studio.db,
      sql`select step, timestamp, value from metrics where run_uuid = ${runId} and key = ${key} order by step, timestamp, value`,
    );
    return rows.map((r) => ({ key, value: Number.isFinite(r.value) ? r.value : String(r.value), timestamp: Number(r.timestamp), step: Number(r.step) }));
  }
  async function historyPage(runId: string, size: number, token?: string) {
    const res = await api.get("metrics/get-history", { run_id: runId, metric_key: "m", max_results: String(size), ...(token ? { page_token: token } : {}) });
    expect(res.status, res.text).toBe(200);
    return { metrics: (res.body.metrics ?? []) as WireMetric[], token: res.body.next_page_token as string | undefined, text: res.text };
  }
  async function historyFrom(runId: string, size: number, token?: string): Promise<WireMetric[]> {
    const seen: WireMetric[] = [];
    do {
      const page = await historyPage(runId, size, token);
      seen.push(...page.metrics);
      token = page.token;
    } while (token);
    return seen;
  }
  const built = (stats: ReturnType<typeof snapshotCacheStats>) => stats.misses - stats.confirmed;
  const kept = (stats: ReturnType<typeof snapshotCacheStats>) => stats.hits + stats.confirmed;
  // Read-ahead needs a second connection: on PostgreSQL, not on PGlite (its statements share the server's thread).
  const readsAhead = kind === "postgres";

  it("builds each next page ahead of the client's request, once, with the token the page is answered with", async () => {
    // NaN, ±Infinity and shared steps at page ends: the token found ahead must be the one the page carries.
    const points = Array.from({ length: 1000 }, (_, i) => ({
      value: i % 97 === 0 ? "NaN" : i % 89 === 0 ? "Infinity" : i % 83 === 0 ? "-Infinity" : Math.sin(i) / 3,
      step: Math.floor(i / 3),
      timestamp: 1000 + (i % 3),
    }));
    const id = await runWith(points);
    for (const size of [300, 99, 7]) {
      await historyReadAheadsSettled(studio.db);
      const before = snapshotCacheStats(studio.db);
      const seen = await historyFrom(id, size);
      await historyReadAheadsSettled(studio.db);
      const after = snapshotCacheStats(studio.db);
      expect(seen).toEqual(await stored(id));
      const pages = Math.ceil(1000 / size);
      // Every page built exactly once, ahead or on request; with read-ahead every page after the first was waiting.
      expect(built(after) - built(before)).toBe(pages);
      expect(kept(after) - kept(before)).toBe(readsAhead ? pages - 1 : 0);
    }
  });

  it("reads two pages ahead of the last answer and no further, and builds no page twice", async () => {
    const id = await runWith(Array.from({ length: 1000 }, (_, i) => ({ value: Math.cos(i), step: i })));
    await historyReadAheadsSettled(studio.db);
    const start = snapshotCacheStats(studio.db);
    const builtSince = () => built(snapshotCacheStats(studio.db)) - built(start);
    const first = await historyPage(id, 100);
    await historyReadAheadsSettled(studio.db);
    // Page 1 on request; pages 2 and 3 ahead on PostgreSQL (page 3 once page 2 was built), nothing further.
    expect(builtSince()).toBe(readsAhead ? 3 : 1);
    const second = await historyPage(id, 100, first.token);
    await historyReadAheadsSettled(studio.db);
    // Page 2 answered from its read-ahead; page 4 is read ahead now (page 3 being kept), still two past the answer.
    expect(builtSince()).toBe(readsAhead ? 4 : 2);
    const rest = await historyFrom(id, 100, second.token);
    await historyReadAheadsSettled(studio.db);
    expect([...first.metrics, ...second.metrics, ...rest]).toEqual(await stored(id));
    expect(builtSince()).toBe(10);
    // Read again with nothing written: every page kept, none read ahead or built.
    expect(await historyFrom(id, 100)).toEqual(await stored(id));
    await historyReadAheadsSettled(studio.db);
    expect(builtSince()).toBe(10);
  });

  it("answers what the table holds when a write lands between pages that were read ahead", async () => {
    const id = await runWith(Array.from({ length: 900 }, (_, i) => ({ value: i / 7, step: i * 2 })));
    const first = await historyPage(id, 300);
    await historyReadAheadsSettled(studio.db); // page 2 is built ahead by now (on PostgreSQL)
    // Into page 2 (between steps 700 and 702), and into page 1, already answered (its points stay as answered).
    expect((await api.post("runs/log-metric", { run_id: id, key: "m", value: -5, timestamp: 1, step: 701 })).status).toBe(200);
    expect((await api.post("runs/log-metric", { run_id: id, key: "m", value: -6, timestamp: 1, step: 3 })).status).toBe(200);
    const rest = await historyFrom(id, 300, first.token);
    const now = await stored(id);
    expect([...first.metrics, ...rest]).toEqual(now.filter((m) => m.value !== -6));
    expect(rest.slice(0, 300).map((m) => m.value)).toContain(-5);

    // A write after page 2 was answered, into page 3 that is being read ahead: seen as well.
    const again = await historyPage(id, 300);
    const second = await historyPage(id, 300, again.token);
    expect((await api.post("runs/log-metric", { run_id: id, key: "m", value: -7, timestamp: 1, step: 1500 })).status).toBe(200);
    const third = await historyFrom(id, 300, second.token);
    expect([...again.metrics, ...second.metrics, ...third]).toEqual(await stored(id));
    expect(third.map((m) => m.value)).toContain(-7);
  });

  it("answers a run deleted between pages as not found, whether or not its next page was read ahead", async () => {
    for (const waitForReadAhead of [true, false]) {
      const id = await runWith(Array.from({ length: 600 }, (_, i) => ({ value: i, step: i })));
      const first = await historyPage(id, 250);
      if (waitForReadAhead) await historyReadAheadsSettled(studio.db);
      await studio.db.execute(sql`delete from runs where run_uuid = ${id}`);
      expectMlflowError(await api.get("metrics/get-history", { run_id: id, metric_key: "m", max_results: "250", page_token: first.token! }), 404, "RESOURCE_DOES_NOT_EXIST");
      expectMlflowError(await api.get("metrics/get-history", { run_id: id, metric_key: "m", max_results: "250" }), 404, "RESOURCE_DOES_NOT_EXIST");
    }
    await historyReadAheadsSettled(studio.db);
  });

  it("reads ahead only for the reader who asked: another user's pages are their own, and the same", async () => {
    const id = await runWith(Array.from({ length: 500 }, (_, i) => ({ value: i * 1.5, step: i })));
    const mine = await historyFrom(id, 200);
    const otherApi = mlflowWire(studio.as({ userId: "other-reader", username: "other", role: "viewer", via: "token" }));
    const theirs: WireMetric[] = [];
    let token: string | undefined;
    do {
      const res = await otherApi.get("metrics/get-history", { run_id: id, metric_key: "m", max_results: "200", ...(token ? { page_token: token } : {}) });
      expect(res.status, res.text).toBe(200);
      theirs.push(...(res.body.metrics as WireMetric[]));
      token = res.body.next_page_token as string | undefined;
    } while (token);
    expect(theirs).toEqual(mine);
    expect(mine).toEqual(await stored(id));
  });

  it("answers get-history errors with MLflow's codes", async () => {
    const id = await runWith([{ value: 1, step: 0 }]);
    const empty = await api.get("metrics/get-history", { run_id: id, metric_key: "absent" });
    expect(empty.status).toBe(200);
    expect(empty.body.metrics ?? []).toEqual([]);
    expectMlflowError(await api.get("metrics/get-history", { run_id: "0123456789abcdef0123456789abcdef", metric_key: "m" }), 404, "RESOURCE_DOES_NOT_EXIST");
    expectMlflowError(await api.get("metrics/get-history", { run_id: id }), 400, "INVALID_PARAMETER_VALUE", /metric_key/);
    expectMlflowError(await api.get("metrics/get-history", { metric_key: "m" }), 400, "INVALID_PARAMETER_VALUE", /run_id/);
    expectMlflowError(await api.get("metrics/get-history", { run_id: id, metric_key: "m", page_token: "zzz" }), 400, "INVALID_PARAMETER_VALUE", /page token/);
    expectMlflowError(await api.get("metrics/get-history", { run_id: id, metric_key: "m", max_results: "ten" }), 400, "INVALID_PARAMETER_VALUE", /max_results/);
  });

  it("get-history-bulk-interval samples the steps of all runs alike, keeping each run's first and last", async () => {
    const a = await runWith(Array.from({ length: 100 }, (_, i) => ({ value: i, step: i })));
    const b = await runWith(Array.from({ length: 25 }, (_, i) => ({ value: -i, step: i * 2 })));
    const stepsOf = (metrics: WireMetric[], run: string) => metrics.filter((m) => m.run_id === run).map((m) => m.step);

    const all = await api.get("metrics/get-history-bulk-interval", { run_ids: [a, b], metric_key: "m" });
    expect(all.status, all.text).toBe(200);
    expect(stepsOf(all.body.metrics as WireMetric[], a)).toHaveLength(100);
    expect(stepsOf(all.body.metrics as WireMetric[], b)).toHaveLength(25);

    const thin = await api.get("metrics/get-history-bulk-interval", { run_ids: [a, b], metric_key: "m", max_results: "10" });
    expect(thin.status, thin.text).toBe(200);
    const metrics = thin.body.metrics as WireMetric[];
    expect(stepsOf(metrics, a)).toEqual([0, 10, 20, 30, 40, 48, 50, 60, 70, 80, 90, 99]);
    expect(stepsOf(metrics, b)).toEqual([0, 10, 20, 30, 40, 48]);
    // Results come run by run, in the order the run ids were asked for.
    expect(metrics.findIndex((m) => m.run_id === b)).toBeGreaterThan(metrics.findLastIndex((m) => m.run_id === a));
    expect(metrics[0]).toEqual({ key: "m", value: 0, timestamp: 1000, step: 0, run_id: a });

    const window = await api.get("metrics/get-history-bulk-interval", {
      run_ids: [a, b],
      metric_key: "m",
      start_step: "20",
      end_step: "60",
      max_results: "5",
    });
    expect(window.status, window.text).toBe(200);
    // Run b's last step (48) joins the shared set of steps, so run a is read at 48 too.
    expect(stepsOf(window.body.metrics as WireMetric[], a)).toEqual([20, 28, 36, 44, 48, 52, 60]);
    expect(stepsOf(window.body.metrics as WireMetric[], b)).toEqual([20, 28, 36, 44, 48]);
  });

  it("answers get-history-bulk-interval errors with MLflow's codes", async () => {
    const id = await runWith([{ value: 1, step: 0 }]);
    const bad = async (query: Record<string, unknown>, status: number, code: string, mentions?: RegExp) =>
      expectMlflowError(await api.get("metrics/get-history-bulk-interval", query), status, code, mentions);
    await bad({ run_ids: [id], metric_key: "m", start_step: "5" }, 400, "INVALID_PARAMETER_VALUE", /both/);
    await bad({ run_ids: [id], metric_key: "m", start_step: "5", end_step: "1" }, 400, "INVALID_PARAMETER_VALUE", /start_step/);
    await bad({ run_ids: [id], metric_key: "m", max_results: "2501" }, 400, "INVALID_PARAMETER_VALUE", /max_results/);
    await bad({ run_ids: [id], metric_key: "m", max_results: "0" }, 400, "INVALID_PARAMETER_VALUE", /max_results/);
    await bad({ run_ids: Array.from({ length: 101 }, () => id), metric_key: "m" }, 400, "INVALID_PARAMETER_VALUE", /100 run_ids/);
    await bad({ metric_key: "m" }, 400, "INVALID_PARAMETER_VALUE", /run_ids/);
    await bad({ run_ids: [id] }, 400, "INVALID_PARAMETER_VALUE", /metric_key/);
    await bad({ run_ids: [id, "0123456789abcdef0123456789abcdef"], metric_key: "m" }, 404, "RESOURCE_DOES_NOT_EXIST", /0123456789abcdef/);
  });
});
