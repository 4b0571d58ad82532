// The upload helper's reading of the server's answers and the URL it posts to.
import { describe, expect, it } from "vitest";
import { zRegisterVersionMeta } from "@/server/datasets/schema";
import { readUploadResponse, uploadUrl, type UploadMeta } from "./upload-file";

describe("uploadUrl", () => {
  it("carries the meta as one encoded JSON parameter the server's schema accepts", () => {
    const meta: UploadMeta = { name: "clients", format: "csv", filename: "a&b=c.csv", masking: { email: { action: "hash" } } };
    const url = new URL(uploadUrl(meta), "http://studio.test");
    expect(url.pathname).toBe("/api/datasets/upload");
    const decoded: unknown = JSON.parse(url.searchParams.get("meta")!);
    expect(zRegisterVersionMeta.parse(decoded)).toMatchObject(meta);
  });
});

describe("readUploadResponse", () => {
  const registered = { created: false, datasetCreated: false, version: { version: 3, datasetName: "clients" } };
  it("returns the registered version on 200 and 201", () => {
    expect(readUploadResponse(201, JSON.stringify({ ...registered, created: true }))).toMatchObject({ kind: "registered", registered: { created: true } });
    expect(readUploadResponse(200, JSON.stringify(registered))).toMatchObject({ kind: "registered", registered: { version: { version: 3 } } });
  });
  it("shows the server's message on errors", () => {
    expect(readUploadResponse(400, JSON.stringify({ error_code: "INVALID_PARAMETER_VALUE", message: "Row 7 has 3 fields, expected 4." }))).toEqual({
      kind: "error",
      status: 400,
      message: "Row 7 has 3 fields, expected 4.",
    });
  });
  it("reads the columns to decide from a 422 for undecided personal data, so the form can list them", () => {
    const column = { column: "card", detected: [{ kind: "card", share: 1, matched: 2, checked: 2 }], choices: ["keep", "drop", "hash", "redact"], problem: "undecided" };
    const outcome = readUploadResponse(
      422,
      JSON.stringify({ error_code: "UNPROCESSABLE_CONTENT", message: "Personal data needs a decision…", reason: "pii_decision_required", columns: [column, { junk: true }] }),
    );
    expect(outcome).toEqual({ kind: "error", status: 422, message: "Personal data needs a decision…", piiDecisions: [column] });
    expect(readUploadResponse(422, JSON.stringify({ error_code: "UNPROCESSABLE_CONTENT", message: "Too wide.", limit: "columns" }))).toEqual({
      kind: "error",
      status: 422,
      message: "Too wide.",
    });
  });
  it("explains answers without a message", () => {
    const outcome = readUploadResponse(502, "<html>Bad gateway</html>");
    expect(outcome.kind).toBe("error");
    expect(outcome.kind === "error" && outcome.message).toContain("502");
    expect(readUploadResponse(403, "")).toMatchObject({ kind: "error", status: 403 });
  });
});
