// Every write, enumerated from the tRPC root router and the MLflow REST route tables (plus the upload, artifact and
// feedback handlers): each role and a serve-only token either pass the permission check the table grants, or get
// 401/403 and nothing is written. A new write procedure or route fails the coverage test until it is listed here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "@/db/client";
import { backgroundCompactionSettled } from "../tracking/rollup-compaction";
import { appRouter } from "../root-router";
import { createTrpcContext } from "../trpc";
import { handleMlflowApi } from "../http/mlflow-api";
import type { MlflowRoute } from "../http/mlflow-router";
import { trackingRoutes } from "../tracking/rest";
import { loggedModelRoutes } from "../tracking/logged-models-rest";
import { registryRoutes } from "../registry/rest";
import { handleArtifactProxy } from "../artifacts/proxy";
import { handleDatasetUpload } from "../datasets/http";
import { handleModelOnnxUpload } from "../registry/onnx-http";
import { serveFetchRequest } from "../serving/http";
import { handlePutTraffic } from "../deployments/http";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { roles, type Actor, type Role } from "./actor";
import { authenticateRequest } from "./authenticate";
import { createUserAsSystem } from "./accounts";
import { can, type Permission } from "./permissions";
import { zCreateUser } from "./schema";
import { createToken } from "./tokens";

interface Target {
  experimentId: string;
  runId: string;
  unique: string;
  victimTokenId: string;
}

const criteria = { metricThresholds: [], maxGroupGap: null, maxNoiseDrop: null, edgeCasesMustNotCrash: true };

/** Each tRPC mutation: the permission the table says it needs, and a well-formed input. */
const trpcWrites: Record<string, { permission: Permission; input: (t: Target) => unknown }> = {
  "auth.createUser": { permission: "users.manage", input: (t) => ({ username: `u-${t.unique}`, password: "password-1234", role: "viewer" }) },
  "auth.setRole": { permission: "users.manage", input: () => ({ username: "target-user", role: "reviewer" }) },
  "auth.setDisabled": { permission: "users.manage", input: () => ({ username: "target-user", disabled: true }) },
  "auth.resetPassword": { permission: "users.manage", input: () => ({ username: "target-user" }) },
  "auth.setLocale": { permission: "account.preferences", input: () => ({ locale: "fr" }) },
  "auth.createToken": { permission: "tokens.manage-own", input: () => ({ name: "mine" }) },
  "auth.revokeToken": { permission: "tokens.manage-own", input: (t) => ({ tokenId: t.victimTokenId }) },
  "auth.revokeAnyToken": { permission: "tokens.manage-any", input: (t) => ({ tokenId: t.victimTokenId }) },
  "tracking.createExperiment": { permission: "tracking.write", input: (t) => ({ name: `t-${t.unique}` }) },
  "tracking.renameExperiment": { permission: "tracking.write", input: (t) => ({ experimentId: t.experimentId, newName: `n-${t.unique}` }) },
  "tracking.setExperimentDeleted": { permission: "tracking.write", input: (t) => ({ experimentId: t.experimentId, deleted: true }) },
  "tracking.setRunNote": { permission: "tracking.write", input: (t) => ({ runId: t.runId, content: "**notes**" }) },
  "tracking.renameRun": { permission: "tracking.write", input: (t) => ({ runId: t.runId, name: `r-${t.unique}` }) },
  "tracking.setRunTag": { permission: "tracking.write", input: (t) => ({ runId: t.runId, key: "team", value: "vision" }) },
  "tracking.deleteRunTag": { permission: "tracking.write", input: (t) => ({ runId: t.runId, key: "team" }) },
  "tracking.setRunDeleted": { permission: "tracking.write", input: (t) => ({ runId: t.runId, deleted: true }) },
  // A saved comparison is a view of runs every role may read, kept server-side so its link stays short.
  "tracking.saveCompareSelection": { permission: "studio.read", input: (t) => ({ experimentId: t.experimentId, runIds: [t.runId] }) },
  // Saved views are shared with every reader of the experiment: keeping, removing or choosing the default is a tracking write.
  "tracking.saveView": { permission: "tracking.write", input: (t) => ({ experimentId: t.experimentId, kind: "runs", name: `v-${t.unique}`, state: { query: { filter: "metrics.acc > 0.5" } }, makeDefault: true }) },
  "tracking.deleteView": { permission: "tracking.write", input: (t) => ({ experimentId: t.experimentId, viewId: 1 }) },
  "tracking.savePrivateView": { permission: "views.keep-own", input: (t) => ({ experimentId: t.experimentId, kind: "runs", name: `p-${t.unique}`, state: { query: { group: "params.lr" } } }) },
  "tracking.deletePrivateView": { permission: "views.keep-own", input: (t) => ({ experimentId: t.experimentId, viewId: 1 }) },
  "tracking.shareView": { permission: "tracking.write", input: (t) => ({ experimentId: t.experimentId, viewId: 1 }) },
  "tracking.setDefaultView": { permission: "tracking.write", input: (t) => ({ experimentId: t.experimentId, viewId: null }) },
  "datasets.updateMetadata": { permission: "datasets.write", input: () => ({ name: "matrix-data", description: "d" }) },
  "datasets.addRule": { permission: "datasets.write", input: () => ({ name: "matrix-data", rule: { kind: "not_null", column: "a" } }) },
  "datasets.deleteRule": { permission: "datasets.write", input: () => ({ name: "matrix-data", ruleId: 1 }) },
  "datasets.recheckQuality": { permission: "datasets.write", input: () => ({ name: "matrix-data", version: 1 }) },
  "datasets.markQuality": { permission: "datasets.write", input: () => ({ name: "matrix-data", version: 1, failed: true, reason: "r" }) },
  "datasets.deleteVersion": { permission: "datasets.write", input: () => ({ name: "matrix-data", version: 1 }) },
  "registry.deleteVersion": { permission: "models.write", input: () => ({ name: "matrix-model", version: "1" }) },
  "registry.registerFromRun": { permission: "models.write", input: (t) => ({ name: "matrix-model", runId: t.runId, artifactPath: "model.onnx" }) },
  "registry.deriveWithoutZipMap": { permission: "models.write", input: () => ({ name: "matrix-model", version: "1" }) },
  "registry.setAlias": { permission: "models.write", input: () => ({ name: "matrix-model", version: "1", alias: "champion" }) },
  "registry.deleteAlias": { permission: "models.write", input: () => ({ name: "matrix-model", alias: "champion" }) },
  "registry.updateModelDescription": { permission: "models.write", input: () => ({ name: "matrix-model", description: "d" }) },
  "registry.updateVersionDescription": { permission: "models.write", input: () => ({ name: "matrix-model", version: "1", description: "d" }) },
  "registry.transitionStage": { permission: "models.write", input: () => ({ name: "matrix-model", version: "1", stage: "Staging" }) },
  // Writes nothing: a playground row scored on the server, as readable as the model's bytes (a mutation for its body).
  "registry.scorePlaygroundRow": { permission: "studio.read", input: () => ({ name: "matrix-model", version: "1", feeds: { input: { type: "float32", dims: [1, 1], data: [1] } } }) },
  "documentation.editCard": { permission: "models.write", input: (t) => ({ name: "matrix-model", version: "1", sections: { limits: `l-${t.unique}` }, baseRevision: 0 }) },
  "review.request": {
    permission: "reviews.request",
    input: () => ({ modelName: "matrix-model", modelVersion: "1", datasetName: "matrix-data", datasetVersion: 1, labelColumn: "y", criteria }),
  },
  // Commenting is a write like any other: viewers read the discussion but do not take part.
  "review.comment": { permission: "reviews.comment", input: () => ({ id: 1, body: "a question" }) },
  "review.withdraw": { permission: "reviews.decide", input: () => ({ id: 1, reason: "the live accuracy fell" }) },
  "review.decide": { permission: "reviews.decide", input: () => ({ id: 1, decision: "approve" }) },
  "review.updateCriteria": { permission: "reviews.request", input: () => ({ id: 1, criteria, requiredApprovals: 1 }) },
  "review.reevaluate": { permission: "reviews.request", input: () => ({ id: 1 }) },
  "review.setThreshold": { permission: "reviews.request", input: () => ({ id: 1, threshold: 0.4 }) },
  "monitoring.updateSettings": {
    permission: "deployments.promote",
    input: () => ({ name: "matrix-model", sampleRate: 0.5, retentionDays: 30, thresholds: {}, reference: null }),
  },
  "monitoring.promote": { permission: "deployments.promote", input: () => ({ name: "matrix-model", version: "1" }) },
  "monitoring.rollback": { permission: "deployments.promote", input: () => ({ name: "matrix-model" }) },
  // Webhooks send studio events to outside addresses with a secret: admins only. Nothing is sent here (no dispatcher runs).
  "notifications.createWebhook": { permission: "webhooks.manage", input: (t) => ({ name: `h-${t.unique}`, url: "https://hooks.example.com/studio", events: ["review.requested"] }) },
  "notifications.updateWebhook": { permission: "webhooks.manage", input: () => ({ hookId: 1, enabled: false }) },
  "notifications.deleteWebhook": { permission: "webhooks.manage", input: () => ({ hookId: 1 }) },
  "notifications.resendDelivery": { permission: "webhooks.manage", input: () => ({ deliveryId: 1 }) },
  // Marking one's own notifications read: every role that reads the studio.
  "notifications.markRead": { permission: "studio.read", input: () => ({}) },
  "erasure.erase": { permission: "data.erase", input: () => ({ column: "customer_id", value: "nobody-at-all" }) },
  "erasure.deriveDatasetVersion": { permission: "data.erase", input: () => ({ dataset: "matrix-data", version: 1, column: "a", value: "nobody-at-all" }) },
  "labelling.configure": { permission: "labelling.manage", input: () => ({ name: "matrix-model", strategy: "random", fillSize: 5, labelsRequired: 1 }) },
  "labelling.fill": { permission: "labelling.manage", input: () => ({ name: "matrix-model" }) },
  // Labelling is the labeller's one write: reviewers and viewers may not label.
  "labelling.label": { permission: "labelling.label", input: () => ({ name: "matrix-model", itemId: 1, label: "1" }) },
  "labelling.undo": { permission: "labelling.label", input: () => ({ name: "matrix-model" }) },
  "labelling.export": { permission: "labelling.manage", input: () => ({ name: "matrix-model", datasetName: "matrix-labels" }) },
  "deployments.configureTraffic": { permission: "deployments.promote", input: () => ({ name: "matrix-model", guards: { maxErrorRate: 0.1 } }) },
  "deployments.evaluateGuards": { permission: "deployments.promote", input: () => ({ name: "matrix-model" }) },
  "deployments.promoteCanary": { permission: "deployments.promote", input: () => ({ name: "matrix-model" }) },
  // The shared job queue: admins only (job 1 need not exist: the permission is checked first).
  "jobs.retry": { permission: "jobs.manage", input: () => ({ jobId: 1 }) },
  "jobs.cancel": { permission: "jobs.manage", input: () => ({ jobId: 1 }) },
};

/** MLflow REST routes whose POST only reads (MLflow's own choice of verb). */
const restReadsByPost = new Set(["POST experiments/search", "POST runs/search", "POST logged-models/search", "POST registered-models/get-latest-versions"]);

const mlflowRoutes: MlflowRoute[] = [...trackingRoutes, ...loggedModelRoutes, ...registryRoutes];

/** Each MLflow REST write: "METHOD path" → permission and a well-formed body (path parameters filled in by `path`). */
const restWrites: Record<string, { permission: Permission; body: (t: Target) => Record<string, unknown>; path?: (t: Target) => string }> = {
  "POST experiments/create": { permission: "tracking.write", body: (t) => ({ name: `m-${t.unique}` }) },
  "POST experiments/update": { permission: "tracking.write", body: (t) => ({ experiment_id: t.experimentId, new_name: `r-${t.unique}` }) },
  "POST experiments/delete": { permission: "tracking.write", body: (t) => ({ experiment_id: t.experimentId }) },
  "POST experiments/restore": { permission: "tracking.write", body: (t) => ({ experiment_id: t.experimentId }) },
  "POST experiments/set-experiment-tag": { permission: "tracking.write", body: (t) => ({ experiment_id: t.experimentId, key: "k", value: "v" }) },
  "POST experiments/delete-experiment-tag": { permission: "tracking.write", body: (t) => ({ experiment_id: t.experimentId, key: "k" }) },
  "POST runs/create": { permission: "tracking.write", body: (t) => ({ experiment_id: t.experimentId }) },
  "POST runs/update": { permission: "tracking.write", body: (t) => ({ run_id: t.runId, status: "FINISHED", end_time: 5 }) },
  "POST runs/delete": { permission: "tracking.write", body: (t) => ({ run_id: t.runId }) },
  "POST runs/restore": { permission: "tracking.write", body: (t) => ({ run_id: t.runId }) },
  "POST runs/log-metric": { permission: "tracking.write", body: (t) => ({ run_id: t.runId, key: "m", value: 1, timestamp: 1, step: 0 }) },
  "POST runs/log-parameter": { permission: "tracking.write", body: (t) => ({ run_id: t.runId, key: "p", value: "1" }) },
  "POST runs/set-tag": { permission: "tracking.write", body: (t) => ({ run_id: t.runId, key: "t", value: "1" }) },
  "POST runs/delete-tag": { permission: "tracking.write", body: (t) => ({ run_id: t.runId, key: "mlflow.runName" }) },
  "POST runs/log-batch": { permission: "tracking.write", body: (t) => ({ run_id: t.runId, metrics: [{ key: "b", value: 1, timestamp: 1, step: 1 }] }) },
  "POST runs/log-inputs": {
    permission: "tracking.write",
    body: (t) => ({ run_id: t.runId, datasets: [{ tags: [], dataset: { name: "d", digest: "abc", source_type: "local", source: "{}" } }] }),
  },
  "POST logged-models": { permission: "tracking.write", body: (t) => ({ experiment_id: t.experimentId, name: "lm" }) },
  "PATCH logged-models/:model_id": { permission: "tracking.write", body: () => ({ status: "LOGGED_MODEL_READY" }), path: () => "logged-models/m-0000000000000000" },
  "DELETE logged-models/:model_id": { permission: "tracking.write", body: () => ({}), path: () => "logged-models/m-0000000000000000" },
  "PATCH logged-models/:model_id/tags": { permission: "tracking.write", body: () => ({ tags: [{ key: "k", value: "v" }] }), path: () => "logged-models/m-0000000000000000/tags" },
  "DELETE logged-models/:model_id/tags/:tag_key": { permission: "tracking.write", body: () => ({}), path: () => "logged-models/m-0000000000000000/tags/k" },
  "POST logged-models/:model_id/params": { permission: "tracking.write", body: () => ({ params: [{ key: "k", value: "v" }] }), path: () => "logged-models/m-0000000000000000/params" },
  "POST runs/outputs": { permission: "tracking.write", body: (t) => ({ run_id: t.runId, models: [{ model_id: "m-0000000000000000", step: 0 }] }) },
  "POST runs/log-outputs": { permission: "tracking.write", body: (t) => ({ run_id: t.runId, models: [{ model_id: "m-0000000000000000", step: 0 }] }) },
  "POST runs/log-model": { permission: "tracking.write", body: (t) => ({ run_id: t.runId, model_json: JSON.stringify({ artifact_path: "model", flavors: {} }) }) },
  "POST registered-models/create": { permission: "models.write", body: (t) => ({ name: `rm-${t.unique}` }) },
  "PATCH registered-models/update": { permission: "models.write", body: () => ({ name: "matrix-model", description: "d" }) },
  "POST registered-models/rename": { permission: "models.write", body: (t) => ({ name: "matrix-model", new_name: `rn-${t.unique}` }) },
  "DELETE registered-models/delete": { permission: "models.write", body: () => ({ name: "matrix-model" }) },
  "POST registered-models/set-tag": { permission: "models.write", body: () => ({ name: "matrix-model", key: "k", value: "v" }) },
  "DELETE registered-models/delete-tag": { permission: "models.write", body: () => ({ name: "matrix-model", key: "k" }) },
  "POST registered-models/alias": { permission: "models.write", body: () => ({ name: "matrix-model", alias: "champion", version: "1" }) },
  "DELETE registered-models/alias": { permission: "models.write", body: () => ({ name: "matrix-model", alias: "champion" }) },
  "POST model-versions/create": { permission: "models.write", body: (t) => ({ name: "matrix-model", source: `runs:/${t.runId}/model` }) },
  "PATCH model-versions/update": { permission: "models.write", body: () => ({ name: "matrix-model", version: "1", description: "d" }) },
  "DELETE model-versions/delete": { permission: "models.write", body: () => ({ name: "matrix-model", version: "1" }) },
  "POST model-versions/transition-stage": { permission: "models.write", body: () => ({ name: "matrix-model", version: "1", stage: "Staging", archive_existing_versions: false }) },
  "POST model-versions/set-tag": { permission: "models.write", body: () => ({ name: "matrix-model", version: "1", key: "k", value: "v" }) },
  "DELETE model-versions/delete-tag": { permission: "models.write", body: () => ({ name: "matrix-model", version: "1", key: "k" }) },
};

/** Row counts of every table, the audit log's last id and the mutable state of users, experiments and runs. */
async function fingerprint(studio: TestStudio): Promise<string> {
  // The rollup compactor folds an earlier case's points in the background; settle it so its derived rows are not counted as this case's write.
  await backgroundCompactionSettled(studio.db);
  const tables = await queryRows<{ tablename: string }>(studio.db, sql`select tablename from pg_tables where schemaname = 'public' and tablename <> 'auth_throttle' order by tablename`);
  // Every table's count in one statement: fifty-odd round trips per fingerprint were much of this file's time.
  const countEach = sql.join(
    tables.map(({ tablename }, position) => sql`select ${position}::int as position, ${tablename}::text as tablename, count(*)::int as n from ${sql.identifier(tablename)}`),
    sql` union all `,
  );
  const counts = await queryRows<{ position: number; tablename: string; n: number }>(studio.db, sql`${countEach} order by position`);
  const parts = counts.map((row) => `${row.tablename}=${row.n}`);
  for (const query of [
    sql`select string_agg(name || ':' || lifecycle_stage, ',' order by experiment_id) as s from experiments`,
    sql`select string_agg(username || ':' || role || ':' || disabled || ':' || password_hash, ',' order by username) as s from users`,
    sql`select string_agg(run_uuid || ':' || status || ':' || lifecycle_stage, ',' order by run_uuid) as s from runs`,
    sql`select string_agg(token_id || ':' || coalesce(revoked_at, 0), ',' order by token_id) as s from api_tokens`,
  ]) {
    const [row] = await queryRows<{ s: string | null }>(studio.db, query);
    parts.push(row.s ?? "");
  }
  return parts.join("|");
}

const refused = (status: number) => status === 401 || status === 403;

describe.each(testBackends)("no write without its permission on %s", (backend) => {
  let studio: TestStudio;
  const actors = new Map<Role, Actor>();
  const bearer = new Map<Role | "serve", string>();
  let counter = 0;
  let victimTokenId = "";
  const globalDb = globalThis as unknown as { studioDb?: Promise<DatabaseHandle> };
  let previousDb: Promise<DatabaseHandle> | undefined;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    // The upload and serving handlers open the process's database: it is this test's for the duration.
    previousDb = globalDb.studioDb;
    globalDb.studioDb = Promise.resolve(studio.handle);
    await createUserAsSystem(studio.db, zCreateUser.parse({ username: "target-user", password: "password-1234", role: "viewer" }));
    for (const role of roles) {
      const user = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `as-${role}`, password: "password-1234", role }));
      const actor: Actor = { userId: user.userId, username: user.username, role, via: "token" };
      actors.set(role, actor);
      // A labeller may not make tokens; one is minted for the account anyway (its role is read at each use) so every REST write is tried with it too.
      const minter = can(actor, "tokens.manage-own") ? actor : { ...actor, role: "editor" as const };
      bearer.set(role, (await createToken(studio.as(minter), { name: `${role} all` })).token);
    }
    bearer.set("serve", (await createToken(studio.as(actors.get("admin")!), { name: "admin serve", scope: "serve" })).token);
    const target = await createUserAsSystem(studio.db, zCreateUser.parse({ username: "token-owner", password: "password-1234", role: "editor" }));
    victimTokenId = (await createToken(studio.as({ userId: target.userId, username: "token-owner", role: "editor", via: "token" }), { name: "victim" })).summary.tokenId;
  });
  afterAll(async () => {
    globalDb.studioDb = previousDb;
    await studio.close();
  });

  async function freshTarget(): Promise<Target> {
    const unique = `${backend}-${++counter}`;
    const admin = studio.as(actors.get("admin")!);
    const caller = appRouter.createCaller({ ...admin, req: new Request("http://studio.test/api/trpc") });
    const { experiment_id: experimentId } = await caller.tracking.createExperiment({ name: `target-${unique}` });
    const response = await handleMlflowApi(
      new Request("http://studio.test/api/2.0/mlflow/runs/create", { method: "POST", body: JSON.stringify({ experiment_id: experimentId }) }),
      ["runs", "create"],
      async () => admin,
    );
    const runId = ((await response.json()) as { run: { info: { run_id: string } } }).run.info.run_id;
    return { experimentId, runId, unique, victimTokenId };
  }

  const trpcStatus = async (actor: Actor | null, path: string, input: unknown): Promise<number> => {
    const caller = appRouter.createCaller({ db: studio.db, artifacts: studio.artifacts, actor, req: new Request("http://studio.test/api/trpc") });
    const [area, name] = path.split(".");
    try {
      await (caller as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>)[area][name](input);
      return 200;
    } catch (error) {
      const code = (error as { code?: string }).code;
      return code === "FORBIDDEN" ? 403 : code === "UNAUTHORIZED" ? 401 : code === "NOT_FOUND" ? 404 : code === "BAD_REQUEST" ? 400 : code === "CONFLICT" ? 409 : 500;
    }
  };

  it("every tRPC mutation and every MLflow REST write is in the table", () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    const mutations = Object.entries(procedures).filter(([, p]) => p._def.type === "mutation").map(([path]) => path).sort();
    expect(mutations).toEqual(Object.keys(trpcWrites).sort());
    const writes = mlflowRoutes
      .flatMap((route) => route.methods.filter((m) => m !== "GET").map((m) => `${m} ${route.path}`))
      .filter((key) => !restReadsByPost.has(key))
      .sort();
    expect(writes).toEqual(Object.keys(restWrites).sort());
  });

  for (const [path, entry] of Object.entries(trpcWrites)) {
    it(`tRPC ${path}: only ${entry.permission} passes`, async () => {
      const target = await freshTarget();
      const before = await fingerprint(studio);
      expect(await trpcStatus(null, path, entry.input(target))).toBe(401);
      for (const role of [...roles].reverse()) {
        const allowed = can(actors.get(role)!, entry.permission);
        if (allowed) continue;
        const status = await trpcStatus(actors.get(role)!, path, entry.input(target));
        expect(status, `${role} on ${path}`).toBe(403);
      }
      expect(await fingerprint(studio)).toBe(before);
      for (const role of roles) {
        if (!can(actors.get(role)!, entry.permission)) continue;
        const status = await trpcStatus(actors.get(role)!, path, entry.input(await freshTarget()));
        expect(refused(status), `${role} on ${path} answered ${status}`).toBe(false);
      }
      if (path.startsWith("auth.set") || path === "auth.resetPassword") {
        const admin = appRouter.createCaller({ ...studio.as(actors.get("admin")!), req: new Request("http://studio.test/api/trpc") });
        await admin.auth.setDisabled({ username: "target-user", disabled: false });
        await admin.auth.setRole({ username: "target-user", role: "viewer" });
      }
    });
  }

  it("a serve-only token is refused by the whole tRPC API, before any procedure runs", async () => {
    const req = new Request("http://studio.test/api/trpc/auth.createToken", { method: "POST", headers: { authorization: `Bearer ${bearer.get("serve")}` } });
    await expect(createTrpcContext({ req })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  const restCall = (key: string, token: string | null, t: Target) => {
    const entry = restWrites[key];
    const [method, routePath] = key.split(" ");
    const path = entry.path ? entry.path(t) : routePath;
    const request = new Request(`http://studio.test/api/2.0/mlflow/${path}`, {
      method,
      body: JSON.stringify(entry.body(t)),
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    return handleMlflowApi(request, path.split("/"), async (r) => ({ db: studio.db, artifacts: studio.artifacts, actor: await authenticateRequest(r, studio.db) }));
  };

  for (const [key, entry] of Object.entries(restWrites)) {
    it(`REST ${key}: only ${entry.permission} passes`, async () => {
      const target = await freshTarget();
      const before = await fingerprint(studio);
      expect((await restCall(key, null, target)).status).toBe(401);
      expect((await restCall(key, "mops_not-a-real-token", target)).status).toBe(401);
      expect((await restCall(key, bearer.get("serve")!, target)).status).toBe(403);
      for (const role of roles) {
        if (can(actors.get(role)!, entry.permission)) continue;
        const response = await restCall(key, bearer.get(role)!, target);
        expect(response.status, `${role} on ${key}: ${await response.clone().text()}`).toBe(403);
      }
      expect(await fingerprint(studio)).toBe(before);
      for (const role of roles) {
        if (!can(actors.get(role)!, entry.permission)) continue;
        const response = await restCall(key, bearer.get(role)!, await freshTarget());
        expect(refused(response.status), `${role} on ${key}: ${response.status}`).toBe(false);
      }
    });
  }

  /** Uploads and artifacts: the permission is checked before a byte is read, so an empty body tells allowed (400) from refused. */
  const otherWrites: { name: string; permission: Permission; serveTokenMay: boolean; call: (token: string | null, t: Target) => Promise<Response> }[] = [
    {
      name: "PUT artifact upload",
      permission: "tracking.write",
      serveTokenMay: false,
      call: (token, t) =>
        handleArtifactProxy(
          new Request(`http://studio.test/api/2.0/mlflow-artifacts/artifacts/${t.experimentId}/${t.runId}/artifacts/f.txt`, {
            method: "PUT",
            body: "x",
            headers: token ? { authorization: `Bearer ${token}` } : {},
          }),
          [t.experimentId, t.runId, "artifacts", "f.txt"],
          async (r) => ({ db: studio.db, artifacts: studio.artifacts, actor: await authenticateRequest(r, studio.db) }),
        ),
    },
    {
      name: "POST /api/datasets/upload",
      permission: "datasets.write",
      serveTokenMay: false,
      call: (token) => handleDatasetUpload(new Request("http://studio.test/api/datasets/upload", { method: "POST", body: "", headers: token ? { authorization: `Bearer ${token}` } : {} })),
    },
    {
      name: "POST /api/models/upload",
      permission: "models.write",
      serveTokenMay: false,
      call: (token) => handleModelOnnxUpload(new Request("http://studio.test/api/models/upload", { method: "POST", body: "", headers: token ? { authorization: `Bearer ${token}` } : {} })),
    },
    {
      // Ground truth is evidence: editors and admins, or a serve-scoped token (of a non-viewer) beside the model's callers.
      name: "POST /api/serve/<model>/feedback",
      permission: "feedback.write",
      serveTokenMay: true,
      call: (token) =>
        serveFetchRequest(
          new Request("http://studio.test/api/serve/no-such-model/feedback", { method: "POST", body: "{}", headers: token ? { authorization: `Bearer ${token}` } : {} }),
        ),
    },
    {
      name: "PUT /api/deployments/<model>/traffic",
      permission: "deployments.promote",
      serveTokenMay: false,
      call: (token) =>
        handlePutTraffic(
          new Request("http://studio.test/api/deployments/no-such-model/traffic", { method: "PUT", body: "{}", headers: token ? { authorization: `Bearer ${token}` } : {} }),
          "no-such-model",
          async (r) => ({ db: studio.db, artifacts: studio.artifacts, actor: await authenticateRequest(r, studio.db) }),
        ),
    },
  ];

  for (const write of otherWrites) {
    it(`${write.name}: only ${write.permission} passes`, async () => {
      const target = await freshTarget();
      const before = await fingerprint(studio);
      expect((await write.call(null, target)).status).toBe(401);
      expect((await write.call("mops_not-a-real-token", target)).status).toBe(401);
      const serveStatus = (await write.call(bearer.get("serve")!, target)).status;
      if (write.serveTokenMay) expect(refused(serveStatus)).toBe(false);
      else expect(serveStatus).toBe(403);
      for (const role of roles) {
        const allowed = can(actors.get(role)!, write.permission);
        const status = (await write.call(bearer.get(role)!, target)).status;
        if (allowed) expect(refused(status), `${role} on ${write.name}: ${status}`).toBe(false);
        else expect(status, `${role} on ${write.name}`).toBe(403);
      }
      if (write.permission !== "tracking.write") expect(await fingerprint(studio)).toBe(before);
    });
  }
});
