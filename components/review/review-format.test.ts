// The criteria form's text ↔ the criteria the server takes (group gap in points, empty = not checked), filters and links.
import { describe, expect, it } from "vitest";
import { metricLabel } from "@/lib/review-sentences";
import { defaultCriteria } from "@/server/review/schema";
import { criteriaToForm, describeCriteria, formToCriteria, metricsForTask, parseReviewFilter, requestReviewHref } from "./review-format";

describe("criteria form", () => {
  it("round-trips the default criteria of every task, with the group gap shown in points", () => {
    for (const task of ["binary", "multiclass", "regression"] as const) {
      const form = criteriaToForm(defaultCriteria(task));
      expect(formToCriteria(form)).toEqual({ criteria: defaultCriteria(task), errors: null });
    }
    expect(criteriaToForm(defaultCriteria("binary")).maxGroupGapPoints).toBe("10");
  });

  it("reads empty fields as not checked and points back into a 0–1 gap", () => {
    const form = { ...criteriaToForm(defaultCriteria("binary")), maxGroupGapPoints: "7.5", maxNoiseDrop: " " };
    const result = formToCriteria(form);
    expect(result.criteria?.maxGroupGap).toBe(0.075);
    expect(result.criteria?.maxNoiseDrop).toBeNull();
  });

  it("says which field to fix: a threshold that is not a number, a gap over 100 points, a negative drop", () => {
    const form = criteriaToForm(defaultCriteria("binary"));
    form.thresholds[1] = { ...form.thresholds[1], value: "high" };
    const result = formToCriteria({ ...form, maxGroupGapPoints: "120", maxNoiseDrop: "-1" });
    expect(result.criteria).toBeNull();
    expect(result.errors).toEqual({
      "threshold.1": "Enter a number, e.g. 0.8",
      maxGroupGapPoints: "Enter points between 0 and 100, or leave empty not to check the gap",
      maxNoiseDrop: "Enter a drop of 0 or more, or leave empty not to check robustness",
    });
  });

  it("offers the metrics of the task and describes criteria in words", () => {
    expect(metricsForTask("regression")).toEqual(["rmse", "mae", "r2"]);
    expect(metricsForTask("binary")).toContain("roc_auc");
    expect(describeCriteria(defaultCriteria("regression"), metricLabel)).toEqual([
      "R² ≥ 0.3",
      "drop under noise of 0.1 std ≤ 0.05",
      "every edge-case input is scored without error",
    ]);
  });
});

describe("review links and filters", () => {
  it("falls back to All for an unknown filter and encodes model names in links", () => {
    expect(parseReviewFilter("decided")).toBe("decided");
    expect(parseReviewFilter("nonsense")).toBe("all");
    expect(parseReviewFilter(null)).toBe("all");
    expect(requestReviewHref("credit rf/α", "3")).toBe("/reviews/new?model=credit%20rf%2F%CE%B1&version=3");
  });
});
