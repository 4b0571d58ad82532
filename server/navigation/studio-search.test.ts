// The command palette's search: every kind of thing found by part of its name, any case, capped per kind, read-only for viewers.
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { sql } from "drizzle-orm";
import { migrationsFolder, queryRows, type Database } from "@/db/client";
import { LocalArtifactStore } from "../artifacts/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { registerDatasetVersion } from "../datasets/register-version";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { appRouter } from "../root-router";
import { searchStudio, studioSearchQueries } from "./studio-search";
import { mlflowWire } from "../testing/mlflow-client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";

const fixtures = path.join(import.meta.dirname, "../../fixtures");
const erin: Actor = { userId: "u-erin", username: "erin", role: "editor", via: "session" };
const vera: Actor = { userId: "u-vera", username: "vera", role: "viewer", via: "session" };

describe.each(testBackends)("studio search on %s", (backend) => {
  let studio: TestStudio;
  let root: string;
  let experimentId: string;
  let runId: string;
  const callerFor = (actor: Actor | null) => appRouter.createCaller({ ...studio.as(actor ?? vera), actor, req: new Request("http://studio.test/api/trpc") });
  const search = (text: string, limitPerKind?: number) => callerFor(vera).navigation.search({ text, limitPerKind });

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-search-datasets-"));
    const api = mlflowWire(studio);
    experimentId = (await api.post("experiments/create", { name: "Iris sweep" })).body.experiment_id as string;
    await api.post("experiments/create", { name: "Churn 100%_done" });
    const run = await api.post("runs/create", { experiment_id: experimentId, run_name: "iris-lr-0.1" });
    runId = (run.body.run as { info: { run_id: string } }).info.run_id;
    for (let i = 0; i < 8; i++) await api.post("runs/create", { experiment_id: experimentId, run_name: `sweep-iris-${i}` });
    await registerDatasetVersion(studio.as(erin), root, { name: "iris-train", format: "csv", masking: {} }, createReadStream(path.join(fixtures, "datasets/iris.train.csv")), { profileLater: true });
    await registerOnnxUpload(studio.as(erin), { name: "Iris-Logreg", bytes: new Uint8Array(await readFile(path.join(fixtures, "models/iris-logreg.onnx"))) });
    // A review row as the review service stores it (its evaluation is beside the point here).
    await studio.db.execute(sql`insert into reviews (model_version_id, dataset_version_id, label_column, criteria, context, status, requested_by_id, requested_by, created_at, updated_at)
      select (select version_id from model_versions limit 1), (select version_id from dataset_versions limit 1), 'species', '{}'::jsonb, '{}'::jsonb, 'changes_requested', 'u-erin', 'erin', 1, 1`);
  });
  afterAll(async () => {
    await studio.close();
    await rm(root, { recursive: true, force: true });
  });

  it("finds experiments, runs, datasets and models by part of the name, any case, each with the page it opens", async () => {
    const { hits } = await search("IRIS");
    const byKind = (kind: string) => hits.filter((hit) => hit.kind === kind);
    expect(byKind("experiment")).toEqual([{ kind: "experiment", title: "Iris sweep", context: "Experiment", href: `/experiments/${experimentId}` }]);
    expect(byKind("run")[0]).toEqual({ kind: "run", title: "iris-lr-0.1", context: "Run in Iris sweep", href: `/experiments/${experimentId}/runs/${runId}` });
    expect(byKind("dataset")).toEqual([{ kind: "dataset", title: "iris-train", context: "Dataset, 1 version", href: "/datasets/iris-train" }]);
    expect(byKind("model")).toEqual([{ kind: "model", title: "Iris-Logreg", context: "Model, 1 version", href: "/models/Iris-Logreg" }]);
    const [review] = byKind("review");
    expect(review).toMatchObject({ kind: "review", title: expect.stringMatching(/^Review #\d+: Iris-Logreg v1$/), context: "Review, changes requested" });
    expect(review.href).toMatch(/^\/reviews\/\d+$/);
  });

  it("finds a review by its number, with or without #", async () => {
    const { hits } = await search("iris");
    const id = hits.find((hit) => hit.kind === "review")!.href.split("/").pop()!;
    expect((await search(`#${id}`)).hits.filter((hit) => hit.kind === "review").map((hit) => hit.href)).toEqual([`/reviews/${id}`]);
    expect((await search(id)).hits.filter((hit) => hit.kind === "review").map((hit) => hit.href)).toEqual([`/reviews/${id}`]);
  });

  it("caps each kind at the limit and ranks names that start with the text first", async () => {
    const { hits } = await search("iris", 3);
    const runs = hits.filter((hit) => hit.kind === "run");
    expect(runs).toHaveLength(3);
    expect(runs[0].title).toBe("iris-lr-0.1");
    expect(hits.filter((hit) => hit.kind === "experiment")).toHaveLength(1);
  });

  it("matches LIKE wildcards literally and finds a run by its full id", async () => {
    expect((await search("%_")).hits.map((hit) => hit.title)).toEqual(["Churn 100%_done"]);
    expect((await search("_")).hits.map((hit) => hit.title)).toEqual(["Churn 100%_done"]);
    expect((await search(runId)).hits.map((hit) => hit.href)).toEqual([`/experiments/${experimentId}/runs/${runId}`]);
    expect((await search("no such thing")).hits).toEqual([]);
  });

  it("has the trigram indexes its name matches can read (pg_trgm loads on PGlite too)", async () => {
    const rows = await queryRows<{ indexname: string }>(studio.db, sql`select indexname from pg_indexes where indexname like '%_name_trgm_idx' order by indexname`);
    expect(rows.map((row) => row.indexname)).toEqual([
      "datasets_name_trgm_idx",
      "experiments_name_trgm_idx",
      "registered_models_name_trgm_idx",
      "runs_name_trgm_idx",
    ]);
  });

  it("refuses empty text with a message and a signed-out caller", async () => {
    await expect(search("   ")).rejects.toThrow(/at least one character/);
    await expect(callerFor(null).navigation.search({ text: "iris" })).rejects.toBeInstanceOf(TRPCError);
  });
});

describe.runIf(testBackends.includes("postgres"))("studio search on PostgreSQL with 10,000 runs", () => {
  let studio: TestStudio;
  let experimentId: string;

  beforeAll(async () => {
    studio = await createTestStudio("postgres");
    experimentId = (await mlflowWire(studio).post("experiments/create", { name: "Big sweep" })).body.experiment_id as string;
    // 10,000 runs in one statement: what the palette searches, not how runs arrive, is under test here.
    await studio.db.execute(sql`insert into runs (run_uuid, experiment_id, name, start_time, artifact_uri)
      select md5(g::text), ${Number(experimentId)}, 'sweep-' || g || '-' || substr(md5(g::text), 1, 8), 1000 + g, 'file:///tmp/a'
      from generate_series(1, 10000) g`);
    await studio.db.execute(sql`analyze runs`); // as autovacuum would after so many new rows
  }, 60_000);
  afterAll(async () => {
    await studio.close();
  });

  it("reads the runs' trigram index rather than scanning the table, and finds the run", async () => {
    // Run 4242's name ends in eight hex digits no other run shares: a rare match, the palette's usual case.
    const [{ name: runName }] = await queryRows<{ name: string }>(studio.db, sql`select name from runs where start_time = 1000 + 4242`);
    const text = runName.split("-").pop()!;
    const plan = await queryRows<{ "QUERY PLAN": string }>(studio.db, sql`explain ${studioSearchQueries({ text, limitPerKind: 6 }).runs}`);
    const lines = plan.map((row) => row["QUERY PLAN"]).join("\n");
    expect(lines).toContain("runs_name_trgm_idx");
    expect(lines).not.toMatch(/Seq Scan on runs/);
    const { hits } = await appRouter
      .createCaller({ ...studio.as(vera), actor: vera, req: new Request("http://studio.test/api/trpc") })
      .navigation.search({ text });
    expect(hits.filter((hit) => hit.kind === "run").map((hit) => hit.title)).toContain(runName);
  });
});

describe("studio search on a database without pg_trgm", () => {
  it("migrates without the trigram indexes and finds the same things by a scan", async () => {
    // A PostgreSQL without the contrib extension: PGlite with none loaded stands in for it.
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    const client = new PGlite();
    try {
      const db = drizzle(client);
      await migrate(db, { migrationsFolder });
      expect((await client.query("select indexname from pg_indexes where indexname like '%_trgm_idx'")).rows).toEqual([]);
      await client.exec(`insert into experiments (name, artifact_location, creation_time, last_update_time) values ('Iris sweep', 'file:///tmp', 1, 1), ('Churn', 'file:///tmp', 2, 2);
        insert into runs (run_uuid, experiment_id, name, start_time, artifact_uri) select 'r1', experiment_id, 'iris-lr-0.1', 1, 'file:///tmp' from experiments where name = 'Iris sweep';`);
      const ctx = { db: db as unknown as Database, artifacts: new LocalArtifactStore(os.tmpdir()), actor: vera };
      const { hits } = await searchStudio(ctx, { text: "IRIS", limitPerKind: 6 });
      expect(hits.map((hit) => [hit.kind, hit.title])).toEqual([
        ["experiment", "Iris sweep"],
        ["run", "iris-lr-0.1"],
      ]);
    } finally {
      await client.close();
    }
  }, 60_000);
});
