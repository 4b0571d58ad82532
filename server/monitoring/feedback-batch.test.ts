// Feedback batches from scripts: out-of-range rows are refused as input errors (a row sent twice: feedback.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

  it("refuses a row index beyond what is stored with INVALID_PARAMETER_VALUE naming the field", async () => {
    await expect(recordFeedback(studio, { name: "churn", body: { request_id: "r2", row: 2 ** 40, label: 1 } })).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE", message: expect.stringMatching(/row/) });
  });
});
