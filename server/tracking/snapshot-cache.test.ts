// Repeated runs/search and get-history reads answered from memory: never stale after any write, on every backend.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { backgroundCompactionSettled } from "./rollup-compaction";
import { snapshotCacheStats } from "./snapshot-cache";
import { queryRows } from "@/db/client";

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

  /*
   * A snapshot is the whole server's: on the shared test PostgreSQL another test file's database commits while this one
   * reads, and no cached answer may outlive a commit it has no record of. "From memory" is asserted on a pair of reads
   * (the first fills the cache, the second must come from it) that no commit anywhere came between or before; a page
   * cached under an older snapshot is rightly read again. The pair is tried again a few times to find such a window
   * (PGlite: always the first).
   */
  async function readTwiceWhileServerStill<T>(read: () => Promise<T>) {
    const snapshot = async () => (await queryRows<{ s: string }>(studio.db, sql`select pg_current_snapshot()::text as s`))[0].s;
    for (let attempt = 1; ; attempt++) {
      // The rollup compaction a log-batch started commits too: settled first, so only other databases remain.
      await backgroundCompactionSettled(studio.db);
      const start = await snapshot();
      const first = await read();
      const before = snapshotCacheStats(studio.db);
      const again = await read();
      const after = snapshotCacheStats(studio.db);
      const still = (await snapshot()) === start;
      if (kind === "pglite") expect(still).toBe(true);
      if (still || attempt === 20) {
        if (!still) console.log("snapshot cache test: the shared PostgreSQL never stood still for two reads; checked the weaker promise");
        return { first, again, before, after, still };
      }
    }
  }

  it("answers a repeated search from memory with the same text, and a log-batch changes the next answer", async () => {
    const { first, again, before, after: statsAfter, still } = await readTwiceWhileServerStill(search);
    expect(again.text).toBe(first.text);
    if (still) expect(statsAfter.hits).toBe(before.hits + 1);
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
    const { first, again, before, after, still } = await readTwiceWhileServerStill(() => readHistory(runIds[0]));
    expect(first.steps).toEqual(Array.from({ length: 250 }, (_, s) => s));
    expect(again.pages).toEqual(first.pages);
    if (still) {
      expect(after.hits).toBe(before.hits + first.pages.length);
    } else {
      // Another database's commit came between: each page is then read again and proved unchanged, never rebuilt.
      expect(after.hits + after.confirmed).toBe(before.hits + before.confirmed + first.pages.length);
      expect(after.misses - after.confirmed).toBe(before.misses - before.confirmed);
    }

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

  /** The whole history read straight from the table, as the pages must add up to (step, timestamp, value order). */
  async function storedHistory(runId: string): Promise<{ step: number; value: number }[]> {
    const rows = await queryRows<{ step: string | number; value: number }>(
      studio.db,
      sql`select step, value from metrics where run_uuid = ${runId} and key = 'loss' order by step, timestamp, value`,
    );
    return rows.map((r) => ({ step: Number(r.step), value: r.value }));
  }
  async function readPoints(runId: string): Promise<{ pages: string[]; points: { step: number; value: number }[] }> {
    const { pages } = await readHistory(runId);
    const points = pages.flatMap((page) => (JSON.parse(page).metrics as { step: number; value: number }[]).map((m) => ({ step: m.step, value: m.value })));
    return { pages, points };
  }
  const writeElsewhere = () => api.post("runs/log-batch", { run_id: runIds[2], metrics: [{ key: "other", value: Math.random(), timestamp: 1, step: Date.now() }] });

  it("after a write elsewhere, keeps each history page it proves unchanged (same text) instead of rebuilding it", async () => {
    const first = await readPoints(runIds[0]);
    expect(first.pages.length).toBeGreaterThan(2);
    await writeElsewhere();
    const before = snapshotCacheStats(studio.db);
    const again = await readPoints(runIds[0]);
    expect(again.pages).toEqual(first.pages);
    const after = snapshotCacheStats(studio.db);
    expect(after.hits).toBe(before.hits);
    expect(after.confirmed).toBe(before.confirmed + first.pages.length);
  });

  it("rebuilds a kept history page when a point lands inside it: an older step, a same-step value, or one past the end", async () => {
    const runId = runIds[0];
    await readPoints(runId);
    // Step 5 again with another value and an earlier timestamp, and an old step never logged (-1): both inside page 1.
    await api.post("runs/log-batch", { run_id: runId, metrics: [{ key: "loss", value: 42, timestamp: 1, step: 5 }, { key: "loss", value: 7, timestamp: 9, step: -1 }] });
    let read = await readPoints(runId);
    expect(read.points).toEqual(await storedHistory(runId));
    expect(read.points.filter((p) => p.step === 5).map((p) => p.value)).toContain(42);
    expect(read.points[0]).toEqual({ step: -1, value: 7 });

    // A point inside page 2 only (pages 1 and 3 hold their ranges), then one after the last page.
    await readPoints(runId);
    await api.post("runs/log-batch", { run_id: runId, metrics: [{ key: "loss", value: -3, timestamp: 2, step: 150 }] });
    read = await readPoints(runId);
    expect(read.points).toEqual(await storedHistory(runId));
    await api.post("runs/log-batch", { run_id: runId, metrics: [{ key: "loss", value: 9, timestamp: 2, step: 100_000 }] });
    read = await readPoints(runId);
    expect(read.points).toEqual(await storedHistory(runId));
    expect(read.points.at(-1)).toEqual({ step: 100_000, value: 9 });
  });

  it("rebuilds kept history pages when the run was deleted and made again under the same id with as many points", async () => {
    const runId = runIds[1];
    const first = await readPoints(runId);
    const [run] = await queryRows<Record<string, unknown>>(studio.db, sql`select experiment_id, name, start_time, artifact_uri from runs where run_uuid = ${runId}`);
    const stored = await storedHistory(runId);
    await studio.db.transaction(async (tx) => {
      await tx.execute(sql`delete from runs where run_uuid = ${runId}`);
      await tx.execute(sql`insert into runs (run_uuid, experiment_id, name, start_time, artifact_uri) values (${runId}, ${run.experiment_id}, ${run.name}, ${run.start_time}, ${run.artifact_uri})`);
      for (const point of stored) {
        await tx.execute(sql`insert into metrics (run_uuid, key, step, timestamp, value) values (${runId}, 'loss', ${point.step}, 1, ${point.value + 1})`);
      }
    });
    const read = await readPoints(runId);
    expect(read.points).toHaveLength(first.points.length);
    expect(read.points).toEqual(stored.map((p) => ({ step: p.step, value: p.value + 1 })));
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
