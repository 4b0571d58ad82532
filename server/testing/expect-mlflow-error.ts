// One assertion for MLflow error replies: status, error_code, and a message that says something useful.
import { expect } from "vitest";
import type { WireResponse } from "./mlflow-client";

export function expectMlflowError(res: WireResponse, status: number, code: string, mentions?: RegExp): void {
  expect(res.status, res.text).toBe(status);
  expect(res.body.error_code, res.text).toBe(code);
  expect(typeof res.body.message).toBe("string");
  expect(String(res.body.message).length, res.text).toBeGreaterThan(10);
  if (mentions) expect(res.body.message).toMatch(mentions);
}
