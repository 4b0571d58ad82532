// Concurrent writers: 20 log-batch writers into one run land every point once; racing creates of one name give one winner.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";

const WRITERS = 20;
const OWN_POINTS = 200;
const SHARED_POINTS = 50;

/** A deterministic shuffle, so that writers send the shared points in different orders. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed + 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe.each(testBackends)("concurrent log-batch on %s", (kind) => {
  let studio: TestStudio;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
  });
  afterAll(async () => studio.close());

  it("keeps every point exactly once and the latest metric correct", async () => {
    const api = mlflowWire(studio);
    const run = await api.post("runs/create", { experiment_id: "0", start_time: 1 });
    const runId = (run.body.run as { info: { run_id: string } }).info.run_id;
    const shared = Array.from({ length: SHARED_POINTS }, (_, i) => ({ key: `shared_${i % 5}`, value: i, timestamp: 7, step: i }));
    const responses = await Promise.all(
      Array.from({ length: WRITERS }, (_, w) => {
        const own = Array.from({ length: OWN_POINTS }, (_, i) => ({ key: i % 2 ? "loss" : "acc", value: w + i / 1000, timestamp: 1000 + w, step: w * OWN_POINTS + i }));
        return api.post("runs/log-batch", { run_id: runId, metrics: shuffled([...own, ...shared], w) });
      }),
    );
    for (const res of responses) expect(res.status, res.text).toBe(200);

    const counts = await queryRows<{ key: string; n: string | number; distinct_points: string | number }>(studio.db, sql`
      select key, count(*) as n, count(distinct (step, timestamp, value)) as distinct_points
      from metrics where run_uuid = ${runId} group by key order by key`);
    const byKey = Object.fromEntries(counts.map((c) => [c.key, Number(c.n)]));
    expect(byKey.acc).toBe((WRITERS * OWN_POINTS) / 2);
    expect(byKey.loss).toBe((WRITERS * OWN_POINTS) / 2);
    for (let k = 0; k < 5; k++) expect(byKey[`shared_${k}`]).toBe(SHARED_POINTS / 5);
    for (const c of counts) expect(Number(c.distinct_points)).toBe(Number(c.n));

    const got = await api.get("runs/get", { run_id: runId });
    const latest = Object.fromEntries(
      (got.body.run as { data: { metrics: { key: string; value: number; step: number; timestamp: number }[] } }).data.metrics.map((m) => [m.key, m]),
    );
    const lastWriter = WRITERS - 1;
    expect(latest.loss).toEqual({ key: "loss", value: lastWriter + (OWN_POINTS - 1) / 1000, timestamp: 1000 + lastWriter, step: lastWriter * OWN_POINTS + OWN_POINTS - 1 });
    expect(latest.acc).toEqual({ key: "acc", value: lastWriter + (OWN_POINTS - 2) / 1000, timestamp: 1000 + lastWriter, step: lastWriter * OWN_POINTS + OWN_POINTS - 2 });
    expect(latest.shared_4).toEqual({ key: "shared_4", value: 49, timestamp: 7, step: 49 });

    const history = await api.get("metrics/get-history", { run_id: runId, metric_key: "loss" });
    expect((history.body.metrics as unknown[]).length).toBe((WRITERS * OWN_POINTS) / 2);
  });
});

describe.each(testBackends)("concurrent experiments/create of one name on %s", (kind) => {
  let studio: TestStudio;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
  });
  afterAll(async () => studio.close());

  it("lets one create win and answers the others RESOURCE_ALREADY_EXISTS, never a 500", async () => {
    const api = mlflowWire(studio);
    const responses = await Promise.all(Array.from({ length: 12 }, () => api.post("experiments/create", { name: "race" })));
    const ok = responses.filter((r) => r.status === 200);
    expect(ok, responses.map((r) => r.text).join("\n")).toHaveLength(1);
    for (const res of responses.filter((r) => r.status !== 200)) {
      expect(res.status, res.text).toBe(400);
      expect(res.body).toEqual({ error_code: "RESOURCE_ALREADY_EXISTS", message: "Experiment 'race' already exists." });
    }
    const rows = await queryRows<{ n: string | number }>(studio.db, sql`select count(*) as n from experiments where name = 'race'`);
    expect(Number(rows[0].n)).toBe(1);
    const got = await api.get("experiments/get-by-name", { experiment_name: "race" });
    expect((got.body.experiment as { experiment_id: string }).experiment_id).toBe(ok[0].body.experiment_id);
  });

  it("answers concurrent renames to one name the same way", async () => {
    const api = mlflowWire(studio);
    const ids = await Promise.all(Array.from({ length: 8 }, async (_, i) => (await api.post("experiments/create", { name: `rename-${i}` })).body.experiment_id as string));
    const responses = await Promise.all(ids.map((id) => api.post("experiments/update", { experiment_id: id, new_name: "renamed" })));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    for (const res of responses.filter((r) => r.status !== 200)) expect(res.body.error_code, res.text).toBe("RESOURCE_ALREADY_EXISTS");
  });
});
