// Feedback batches from scripts: a row sent twice keeps its last label, and out-of-range rows are refused as input errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { mlflowWire } from "../testing/mlflow-client";
import { recordFeedback } from "./feedback";

describe.each(testBackends)("feedback batches on %s", (kind) => {
  let studio: TestStudio;
  beforeAll(async () => {
    studio = await createTestStudio(kind);
    await mlflowWire(studio).post("registered-models/create", { name: "churn" });
  });
  afterAll(async () => studio.close());

  it("stores a row sent twice in one batch once, with its last label", async () => {
    const body = { feedback: [{ request_id: "r1", row: 0, label: 0 }, { request_id: "r1", row: 0, label: 1 }, { request_id: "r1", row: 1, label: 1 }] };
    const result = await recordFeedback(studio, { name: "churn", body });
    expect(result.accepted).toBe(2);
    const rows = await queryRows<{ row_index: number; label: unknown }>(studio.db, sql`select row_index, label from inference_feedback where request_id = 'r1' order by row_index`);
    expect(rows.map((r) => [Number(r.row_index), r.label])).toEqual([[0, 1], [1, 1]]);
  });

  it("refuses a row index beyond what is stored with INVALID_PARAMETER_VALUE naming the field", async () => {
    await expect(recordFeedback(studio, { name: "churn", body: { request_id: "r2", row: 2 ** 40, label: 1 } })).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/row/) });
  });
});
