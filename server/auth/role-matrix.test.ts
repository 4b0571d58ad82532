// Every role against every mutation, over REST and tRPC: allowed ones succeed, others get 403 and write nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { backgroundCompactionSettled } from "../tracking/rollup-compaction";
import { appRouter } from "../root-router";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { roles, type Actor, type Role } from "./actor";
import { createUserAsSystem } from "./accounts";
import { can, type Permission } from "./permissions";
import { zCreateUser } from "./schema";

type Api = ReturnType<typeof mlflowWire>;
interface Target {
  experimentId: string;
  runId: string;
  unique: string;
}
interface MatrixAction {
  name: string;
  permission: Permission;
  /** Returns the HTTP status (REST) or throws the tRPC error. */
  run(role: RoleHandles, target: Target): Promise<number>;
}
interface RoleHandles {
  actor: Actor;
  api: Api;
  trpc: ReturnType<typeof appRouter.createCaller>;
}

const rest = (endpoint: string, body: (t: Target) => unknown): ((h: RoleHandles, t: Target) => Promise<number>) =>
  async (h, t) => (await h.api.post(endpoint, body(t))).status;

/** tRPC errors become their HTTP status so both transports are judged alike. */
const trpc = (call: (h: RoleHandles, t: Target) => Promise<unknown>) => async (h: RoleHandles, t: Target) => {
  try {
    await call(h, t);
    return 200;
  } catch (error) {
    const code = (error as { code?: string }).code;
    return code === "FORBIDDEN" ? 403 : code === "UNAUTHORIZED" ? 401 : 500;
  }
};

const actions: MatrixAction[] = [
  { name: "REST experiments/create", permission: "tracking.write", run: rest("experiments/create", (t) => ({ name: `m-${t.unique}` })) },
  { name: "REST experiments/update", permission: "tracking.write", run: rest("experiments/update", (t) => ({ experiment_id: t.experimentId, new_name: `r-${t.unique}` })) },
  { name: "REST experiments/delete", permission: "tracking.write", run: rest("experiments/delete", (t) => ({ experiment_id: t.experimentId })) },
  { name: "REST experiments/set-experiment-tag", permission: "tracking.write", run: rest("experiments/set-experiment-tag", (t) => ({ experiment_id: t.experimentId, key: "k", value: "v" })) },
  { name: "REST runs/create", permission: "tracking.write", run: rest("runs/create", (t) => ({ experiment_id: t.experimentId })) },
  { name: "REST runs/update", permission: "tracking.write", run: rest("runs/update", (t) => ({ run_id: t.runId, status: "FINISHED", end_time: 5 })) },
  { name: "REST runs/delete", permission: "tracking.write", run: rest("runs/delete", (t) => ({ run_id: t.runId })) },
  { name: "REST runs/log-metric", permission: "tracking.write", run: rest("runs/log-metric", (t) => ({ run_id: t.runId, key: "m", value: 1, timestamp: 1, step: 0 })) },
  { name: "REST runs/log-parameter", permission: "tracking.write", run: rest("runs/log-parameter", (t) => ({ run_id: t.runId, key: "p", value: "1" })) },
  { name: "REST runs/set-tag", permission: "tracking.write", run: rest("runs/set-tag", (t) => ({ run_id: t.runId, key: "t", value: "1" })) },
  { name: "REST runs/delete-tag", permission: "tracking.write", run: rest("runs/delete-tag", (t) => ({ run_id: t.runId, key: "mlflow.runName" })) },
  { name: "REST runs/log-batch", permission: "tracking.write", run: rest("runs/log-batch", (t) => ({ run_id: t.runId, metrics: [{ key: "b", value: 1, timestamp: 1, step: 1 }] })) },
  {
    name: "REST runs/log-inputs",
    permission: "tracking.write",
    run: rest("runs/log-inputs", (t) => ({ run_id: t.runId, datasets: [{ tags: [], dataset: { name: "d", digest: "abc", source_type: "local", source: "{}" } }] })),
  },
  {
    name: "REST artifact upload",
    permission: "tracking.write",
    run: async (h, t) => (await h.api.artifacts("PUT", `${t.experimentId}/${t.runId}/artifacts/f.txt`, "x")).status,
  },
  { name: "tRPC tracking.createExperiment", permission: "tracking.write", run: trpc((h, t) => h.trpc.tracking.createExperiment({ name: `t-${t.unique}` })) },
  { name: "tRPC tracking.renameExperiment", permission: "tracking.write", run: trpc((h, t) => h.trpc.tracking.renameExperiment({ experimentId: t.experimentId, newName: `n-${t.unique}` })) },
  { name: "tRPC tracking.setExperimentDeleted", permission: "tracking.write", run: trpc((h, t) => h.trpc.tracking.setExperimentDeleted({ experimentId: t.experimentId, deleted: true })) },
  { name: "tRPC tracking.setRunNote", permission: "tracking.write", run: trpc((h, t) => h.trpc.tracking.setRunNote({ runId: t.runId, content: "**notes**" })) },
  { name: "tRPC tracking.renameRun", permission: "tracking.write", run: trpc((h, t) => h.trpc.tracking.renameRun({ runId: t.runId, name: `r-${t.unique}` })) },
  { name: "tRPC tracking.setRunTag", permission: "tracking.write", run: trpc((h, t) => h.trpc.tracking.setRunTag({ runId: t.runId, key: "team", value: "vision" })) },
  { name: "tRPC tracking.deleteRunTag", permission: "tracking.write", run: trpc((h, t) => h.trpc.tracking.deleteRunTag({ runId: t.runId, key: "team" })) },
  { name: "tRPC tracking.setRunDeleted", permission: "tracking.write", run: trpc((h, t) => h.trpc.tracking.setRunDeleted({ runId: t.runId, deleted: true })) },
  { name: "tRPC registry.deleteVersion", permission: "models.write", run: trpc((h, t) => h.trpc.registry.deleteVersion({ name: `m-${t.unique}`, version: "1" })) },
  { name: "tRPC tracking.saveView", permission: "tracking.write", run: trpc((h, t) => h.trpc.tracking.saveView({ experimentId: t.experimentId, kind: "runs", name: `v-${t.unique}`, state: { query: { order: "metrics.acc DESC" } } })) },
  { name: "tRPC tracking.savePrivateView", permission: "views.keep-own", run: trpc((h, t) => h.trpc.tracking.savePrivateView({ experimentId: t.experimentId, kind: "runs", name: `p-${t.unique}`, state: { query: { group: "params.lr" } } })) },
  {
    name: "tRPC tracking.shareView of one's own private view",
    permission: "tracking.write",
    run: trpc(async (h, t) => {
      const mine = await h.trpc.tracking.savePrivateView({ experimentId: t.experimentId, kind: "runs", name: `s-${t.unique}`, state: { query: {} } });
      try {
        return await h.trpc.tracking.shareView({ experimentId: t.experimentId, viewId: mine.viewId });
      } catch (refusal) {
        // The refused share must have changed nothing; the private view made for it goes, so the fingerprint compares like with like.
        const still = await h.trpc.tracking.savedViews({ experimentId: t.experimentId, kind: "runs" });
        if (still.find((v) => v.viewId === mine.viewId)?.visibility !== "private") throw new Error("a refused share changed the view");
        await h.trpc.tracking.deletePrivateView({ experimentId: t.experimentId, viewId: mine.viewId });
        throw refusal;
      }
    }),
  },
  { name: "tRPC tracking.setDefaultView", permission: "tracking.write", run: trpc((h, t) => h.trpc.tracking.setDefaultView({ experimentId: t.experimentId, viewId: null })) },
  { name: "tRPC notifications.createWebhook", permission: "webhooks.manage", run: trpc((h, t) => h.trpc.notifications.createWebhook({ name: `h-${t.unique}`, url: "https://hooks.example.com/studio", events: ["model.promoted"] })) },
  { name: "tRPC erasure.erase", permission: "data.erase", run: trpc((h) => h.trpc.erasure.erase({ column: "customer_id", value: "nobody-at-all" })) },
  { name: "tRPC auth.createUser", permission: "users.manage", run: trpc((h, t) => h.trpc.auth.createUser({ username: `u-${t.unique}`, password: "password-1234", role: "viewer" })) },
  { name: "tRPC auth.setRole", permission: "users.manage", run: trpc((h) => h.trpc.auth.setRole({ username: "target-user", role: "reviewer" })) },
  { name: "tRPC auth.setDisabled", permission: "users.manage", run: trpc((h) => h.trpc.auth.setDisabled({ username: "target-user", disabled: true })) },
  { name: "tRPC auth.resetPassword", permission: "users.manage", run: trpc((h) => h.trpc.auth.resetPassword({ username: "target-user" })) },
  { name: "tRPC auth.createToken", permission: "tokens.manage-own", run: trpc((h) => h.trpc.auth.createToken({ name: "mine" })) },
  {
    name: "tRPC labelling.configure",
    permission: "labelling.manage",
    run: trpc((h, t) => h.trpc.labelling.configure({ name: `m-${t.unique}`, strategy: "low_confidence", fillSize: 20, labelsRequired: 2 })),
  },
  // The labeller's start page: every role that may label reads the queues, the others are refused.
  { name: "tRPC labelling.queues", permission: "labelling.label", run: trpc((h) => h.trpc.labelling.queues()) },
];

/** Row counts of every table plus the latest audit id: equal before and after means nothing was written. */
async function fingerprint(studio: TestStudio): Promise<string> {
  // The rollup compactor folds an earlier case's points in the background; settle it so its derived rows are not counted as this case's write.
  await backgroundCompactionSettled(studio.db);
  const tables = await queryRows<{ tablename: string }>(studio.db, sql`select tablename from pg_tables where schemaname = 'public' order by tablename`);
  // Every table's count in one statement: fifty-odd round trips per fingerprint were a third of this file's time.
  const countEach = sql.join(
    tables.map(({ tablename }, position) => sql`select ${position}::int as position, ${tablename}::text as tablename, count(*)::int as n from ${sql.identifier(tablename)}`),
    sql` union all `,
  );
  const rows = await queryRows<{ position: number; tablename: string; n: number }>(studio.db, sql`${countEach} order by position`);
  const counts = rows.map((row) => `${row.tablename}=${row.n}`);
  const [state] = await queryRows<{ s: string }>(
    studio.db,
    sql`select string_agg(name || ':' || lifecycle_stage, ',' order by experiment_id) as s from experiments`,
  );
  const [users] = await queryRows<{ s: string }>(studio.db, sql`select string_agg(username || ':' || role || ':' || disabled, ',' order by username) as s from users`);
  const [runs] = await queryRows<{ s: string }>(studio.db, sql`select string_agg(run_uuid || ':' || status || ':' || lifecycle_stage, ',' order by run_uuid) as s from runs`);
  return [...counts, state.s, users.s, runs.s].join("|");
}

describe.each(testBackends)("role × action matrix on %s", (backend) => {
  let studio: TestStudio;
  const handles = new Map<Role, RoleHandles>();
  let admin: RoleHandles;
  let counter = 0;
  let refusalTarget: Target | undefined;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    await createUserAsSystem(studio.db, zCreateUser.parse({ username: "target-user", password: "password-1234", role: "viewer" }));
    for (const role of roles) {
      const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `as-${role}`, password: "password-1234", role }));
      const actor: Actor = { userId: user.userId, username: user.username, role, via: "token" };
      const ctx = studio.as(actor);
      handles.set(role, {
        actor,
        api: mlflowWire(ctx),
        trpc: appRouter.createCaller({ ...ctx, req: new Request("http://studio.test/api/trpc") }),
      });
    }
    admin = handles.get("admin")!;
  });
  afterAll(async () => studio.close());

  async function freshTarget(): Promise<Target> {
    const unique = `${backend}-${++counter}`;
    const experiment = await admin.api.post("experiments/create", { name: `target-${unique}` });
    const experimentId = experiment.body.experiment_id as string;
    const run = await admin.api.post("runs/create", { experiment_id: experimentId });
    const runId = (run.body.run as { info: { run_id: string } }).info.run_id;
    // A user tag for the tag-deleting actions to delete, and a model version (from the run) for the version-deleting one.
    await admin.api.post("runs/set-tag", { run_id: runId, key: "team", value: "vision" });
    await admin.api.post("registered-models/create", { name: `m-${unique}` });
    await admin.api.post("model-versions/create", { name: `m-${unique}`, source: `runs:/${runId}/model` });
    return { experimentId, runId, unique };
  }

  for (const action of actions) {
    for (const role of roles) {
      const allowed = can({ userId: "x", username: "x", role, via: "token" }, action.permission);
      it(`${role} ${allowed ? "may" : "may not"}: ${action.name}`, async () => {
        // A refused action must leave its target as it was (the fingerprint below checks it), so refusals share one
        // target; an allowed action writes, so it gets its own.
        const target = allowed ? await freshTarget() : (refusalTarget ??= await freshTarget());
        // Only a refusal is checked against it: an allowed action is meant to write.
        const before = allowed ? undefined : await fingerprint(studio);
        const status = await action.run(handles.get(role)!, target);
        if (allowed) {
          expect(status).toBe(200);
        } else {
          expect(status).toBe(403);
          expect(await fingerprint(studio)).toBe(before);
        }
        // Restore what an allowed action changed on the shared user, so later cases start alike.
        if (allowed && action.permission === "users.manage") {
          await admin.trpc.auth.setDisabled({ username: "target-user", disabled: false });
          await admin.trpc.auth.setRole({ username: "target-user", role: "viewer" });
        }
      });
    }
  }
});
