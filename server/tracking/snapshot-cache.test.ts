// Repeated runs/search and get-history reads answered from memory: never stale after any write, on every backend.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { backgroundCompactionSettled } from "./rollup-compaction";
import { snapshotCacheStats } from "./snapshot-cache";

type Api = ReturnType<typeof mlflowWire>;
interface WireRun {
  info: { run_id: string; run_name: string };
  data: { metrics: { key: string; value: number }[]; params: { key: string; value: string }[] };
}

describe.each(testBackends)("snapshot cache on %s", (kind) => {
  let studio: TestStudio;
  let api: Api;
  let experimentId: string;
  const runIds: string[] = [];

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    api = mlflowWire(studio);
    experimentId = (await api.post("experiments/create", { name: "cached" })).body.experiment_id as string;
    for (const [i, name] of ["a", "b", "c"].entries()) {
      const created = await api.post("runs/create", { experiment_id: experimentId, run_name: name, start_time: 1000 + i });
      const runId = (created.body.run as WireRun).info.run_id;
      runIds.push(runId);
      const metrics = Array.from({ length: 250 }, (_, step) => ({ key: "loss", value: (i + 1) / (1 + step), timestamp: 5000 + step, step }));
      expect((await api.post("runs/log-batch", { run_id: runId, metrics, params: [{ key: "lr", value: "0.1" }] })).status).toBe(200);
    }
  });
  afterAll(async () => studio.close());

  const search = async () => {
    // The rollup compaction a log-batch starts is a write too: a read while it commits would miss the cache.
    await backgroundCompactionSettled(studio.db);
    const res = await api.post("runs/search", { experiment_ids: [experimentId], order_by: ["metrics.loss ASC"], max_results: 2 });
    expect(res.status, res.text).toBe(200);
    return res;
  };
  const names = (res: { body: Record<string, unknown> }) => ((res.body.runs ?? []) as WireRun[]).map((r) => r.info.run_name);

  async function readHistory(runId: string): Promise<{ steps: number[]; pages: string[] }> {
    const steps: number[] = [];
    const pages: string[] = [];
    let token: string | undefined;
    await backgroundCompactionSettled(studio.db);
    do {
      const res = await api.get("metrics/get-history", { run_id: runId, metric_key: "loss", max_results: 100, ...(token ? { page_token: token } : {}) });
      expect(res.status, res.text).toBe(200);
      pages.push(res.text);
      steps.push(...(res.body.metrics as { step: number }[]).map((m) => m.step));
      token = res.body.next_page_token as string | undefined;
    } while (token);
    return { steps, pages };
  }

  it("answers a repeated search from memory with the same text, and a log-batch changes the next answer", async () => {
    const first = await search();
    const before = snapshotCacheStats(studio.db);
    const again = await search();
    expect(again.text).toBe(first.text);
    expect(snapshotCacheStats(studio.db).hits).toBe(before.hits + 1);
    expect(names(first)).toEqual(["a", "b"]);

    // Run c's latest loss becomes the lowest: the next search must show it first.
    await api.post("runs/log-batch", { run_id: runIds[2], metrics: [{ key: "loss", value: -1, timestamp: 9000, step: 1000 }] });
    const after = await search();
    expect(names(after)).toEqual(["c", "a"]);
    expect(after.body.next_page_token).toBe(first.body.next_page_token);
    const c = (after.body.runs as WireRun[])[0];
    expect(c.data.metrics).toEqual([{ key: "loss", value: -1, timestamp: 9000, step: 1000 }]);
  });

  it("sees run updates, tags and deletions on the next search", async () => {
    await search();
    await api.post("runs/update", { run_id: runIds[2], run_name: "c-renamed" });
    expect(names(await search())).toEqual(["c-renamed", "a"]);
    await api.post("runs/delete", { run_id: runIds[2] });
    expect(names(await search())).toEqual(["a", "b"]);
    await api.post("runs/restore", { run_id: runIds[2] });
    expect(names(await search())).toEqual(["c-renamed", "a"]);
  });

  it("reads a paged history again from memory, identical page for page, and sees points added since", async () => {
    const first = await readHistory(runIds[0]);
    expect(first.steps).toEqual(Array.from({ length: 250 }, (_, s) => s));
    const before = snapshotCacheStats(studio.db).hits;
    const again = await readHistory(runIds[0]);
    expect(again.pages).toEqual(first.pages);
    expect(snapshotCacheStats(studio.db).hits).toBe(before + first.pages.length);

    await api.post("runs/log-batch", { run_id: runIds[0], metrics: [{ key: "loss", value: 0.5, timestamp: 1, step: 250 }] });
    const grown = await readHistory(runIds[0]);
    expect(grown.steps).toEqual(Array.from({ length: 251 }, (_, s) => s));
  });

  it("sees a point written straight into the database, not through the studio", async () => {
    await readHistory(runIds[1]);
    await studio.db.execute(sql`insert into metrics (run_uuid, key, step, timestamp, value) values (${runIds[1]}, 'loss', 5000, 1, 2)`);
    const read = await readHistory(runIds[1]);
    expect(read.steps.at(-1)).toBe(5000);
    expect(read.steps).toHaveLength(251);
  });

  it("answers a missing run with 404 every time, never from a cached page", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await api.get("metrics/get-history", { run_id: "0".repeat(32), metric_key: "loss" });
      expect(res.status).toBe(404);
      expect(res.body.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    }
  });

  it.runIf(kind === "postgres")("does not show a write still in another connection's open transaction, and shows it once committed", async () => {
    const { Client } = await import("pg");
    const url = (studio.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString;
    const other = new Client({ connectionString: url });
    await other.connect();
    try {
      const before = await readHistory(runIds[1]);
      await other.query("begin");
      await other.query("insert into metrics (run_uuid, key, step, timestamp, value) values ($1, 'loss', 6000, 1, 3)", [runIds[1]]);
      const during = await readHistory(runIds[1]);
      expect(during.pages).toEqual(before.pages);
      await other.query("commit");
      const after = await readHistory(runIds[1]);
      expect(after.steps.at(-1)).toBe(6000);
      expect(after.steps).toHaveLength(before.steps.length + 1);
    } finally {
      await other.end();
    }
  });
});
