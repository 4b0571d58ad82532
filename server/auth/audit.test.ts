// Each audited change writes exactly one audit entry naming the acting user; CSV export keeps cells inert.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import type { Actor } from "./actor";
import { auditEntriesToCsv, listAuditEntries } from "./audit";

describe.each(testBackends)("audit entries on %s", (backend) => {
  let studio: TestStudio;
  const editor: Actor = { userId: "u-editor", username: "edith", role: "editor", via: "token" };
  beforeAll(async () => {
    studio = await createTestStudio(backend);
  });
  afterAll(async () => studio.close());

  async function entriesSince(id: number) {
    return queryRows<{ audit_id: number; actor_username: string; action: string; target_id: string }>(
      studio.db,
      sql`select audit_id, actor_username, action, target_id from audit_log where audit_id > ${id} order by audit_id`,
    );
  }
  async function lastId(): Promise<number> {
    const [row] = await queryRows<{ id: number | null }>(studio.db, sql`select max(audit_id)::int as id from audit_log`);
    return row.id ?? 0;
  }

  it("experiment and run lifecycle changes each write one entry by the acting user", async () => {
    const api = mlflowWire(studio.as(editor));
    const steps: [string, (ctx: { experimentId: string; runId: string }) => Promise<unknown>][] = [];
    let experimentId = "";
    let runId = "";
    let since = await lastId();
    experimentId = (await api.post("experiments/create", { name: `audited-${backend}` })).body.experiment_id as string;
    expect(await entriesSince(since)).toEqual([expect.objectContaining({ actor_username: "edith", action: "experiment.create", target_id: experimentId })]);
    since = await lastId();
    runId = ((await api.post("runs/create", { experiment_id: experimentId })).body.run as { info: { run_id: string } }).info.run_id;
    expect(await entriesSince(since)).toEqual([expect.objectContaining({ action: "run.create", target_id: runId })]);
    steps.push(
      ["experiment.rename", () => api.post("experiments/update", { experiment_id: experimentId, new_name: `renamed-${backend}` })],
      ["run.update", () => api.post("runs/update", { run_id: runId, status: "FINISHED", end_time: 10 })],
      ["run.delete", () => api.post("runs/delete", { run_id: runId })],
      ["run.restore", () => api.post("runs/restore", { run_id: runId })],
      ["experiment.tag.set", () => api.post("experiments/set-experiment-tag", { experiment_id: experimentId, key: "k", value: "v" })],
      ["experiment.delete", () => api.post("experiments/delete", { experiment_id: experimentId })],
      ["experiment.restore", () => api.post("experiments/restore", { experiment_id: experimentId })],
    );
    for (const [action, step] of steps) {
      since = await lastId();
      await step({ experimentId, runId });
      const entries = await entriesSince(since);
      expect(entries, action).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actor_username: "edith", action });
    }
    // A failed change leaves no entry.
    since = await lastId();
    const failed = await api.post("experiments/update", { experiment_id: experimentId, new_name: "Default" });
    expect(failed.status).toBe(400);
    expect(await entriesSince(since)).toEqual([]);
  });

  it("exports CSV with formula-looking cells neutralised", async () => {
    const entries = await listAuditEntries(studio.db, { action: "experiment.create" });
    const csv = auditEntriesToCsv([{ ...entries[0], targetId: "=HYPERLINK(\"x\")" }]);
    expect(csv.split("\r\n")[0]).toBe("audit_id,at,actor,action,target_type,target_id,before,after");
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
