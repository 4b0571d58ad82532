// Migration 0009 on a database that already holds reviews and feedback: revisions are backfilled, failed evaluations
// get their own status, feedback keeps its labels (no poster known) and a second label for a row becomes possible.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "@/db/client";

describe("migration 0009_review_revisions on existing data", () => {
  let client: PGlite;
  let before: string;
  const rows = async <T,>(query: string) => (await client.query<T>(query)).rows;

  beforeAll(async () => {
    // The migrations as they stood before 0009: same files, journal cut just before it.
    before = await mkdtemp(path.join(os.tmpdir(), "studio-migrations-"));
    await cp(migrationsFolder, before, { recursive: true });
    const journal = JSON.parse(await readFile(path.join(migrationsFolder, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
    const cut = journal.entries.findIndex((entry) => entry.tag === "0009_review_revisions");
    await writeFile(path.join(before, "meta/_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
    client = new PGlite();
    await migrate(drizzle(client), { migrationsFolder: before });
    await client.exec(`
      insert into registered_models (name, creation_timestamp, last_updated_timestamp) values ('m', 1, 1);
      insert into model_versions (model_id, version, creation_timestamp, last_updated_timestamp, source, storage_location)
        select model_id, 1, 1, 1, 'x', 'x' from registered_models;
      insert into datasets (name, owner, hash_salt, created_at, updated_at) values ('d', 'erin', 's', 1, 1);
      insert into dataset_versions (dataset_id, version, digest, format, size_bytes, storage_path, columns, masking_policy, pii_findings, created_by, created_at)
        select dataset_id, 1, 'abc', 'csv', 1, 'p', '[]', '{}', '[]', 'erin', 1 from datasets;
      insert into reviews (model_version_id, dataset_version_id, label_column, criteria, criteria_revision, required_approvals, context, status,
                           requested_by_id, requested_by, evaluation_error, created_at, updated_at)
        select v.version_id, d.version_id, 'y', '{"metricThresholds":[],"maxGroupGap":null,"maxNoiseDrop":null,"edgeCasesMustNotCrash":true}', r.rev, 1, '{}', r.status,
               'u1', 'erin', r.err, 100, 200
        from model_versions v, dataset_versions d,
             (values (1, 'ready', null), (3, 'approved', null), (1, 'draft', 'The model failed.'), (1, 'draft', null)) as r(rev, status, err);
      insert into inference_feedback (model_id, request_id, row_index, label, at) select model_id, 'r1', 0, '1', 5 from registered_models;
    `);
  });
  afterAll(async () => {
    await client.close();
    await rm(before, { recursive: true, force: true });
  });

  it("backfills one revision per review, marks failed evaluations, and lets feedback be superseded", async () => {
    await migrate(drizzle(client), { migrationsFolder });
    expect(await rows<{ revision: number; changed_by: string; changed_at: string }>("select revision, changed_by, changed_at::text from review_criteria_revisions order by review_id")).toEqual([
      { revision: 1, changed_by: "erin", changed_at: "100" },
      { revision: 3, changed_by: "erin", changed_at: "200" },
      { revision: 1, changed_by: "erin", changed_at: "100" },
      { revision: 1, changed_by: "erin", changed_at: "100" },
    ]);
    expect((await rows<{ status: string }>("select status from reviews order by review_id")).map((r) => r.status)).toEqual(["ready", "approved", "evaluation_failed", "draft"]);
    expect(await rows("select request_id, label, posted_by, superseded_at from inference_feedback")).toEqual([{ request_id: "r1", label: 1, posted_by: null, superseded_at: null }]);
    // Only one current label per row…
    await expect(client.exec("insert into inference_feedback (model_id, request_id, row_index, label, at) select model_id, 'r1', 0, '0', 6 from registered_models")).rejects.toThrow();
    // …but a superseded one stays beside its replacement.
    await client.exec(`update inference_feedback set superseded_at = 6;
      insert into inference_feedback (model_id, request_id, row_index, label, at, posted_by) select model_id, 'r1', 0, '0', 6, 'eddie' from registered_models`);
    expect(await rows("select label, posted_by from inference_feedback order by feedback_id")).toEqual([
      { label: 1, posted_by: null },
      { label: 0, posted_by: "eddie" },
    ]);
  });
});
