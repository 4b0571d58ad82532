// Tests for the dataset pages' formatting: counts, shares, sizes, quantile lookup, chart summaries, masking and drift wording.
import { describe, expect, it } from "vitest";
import {
  binScale,
  comparisonSummary,
  driftRule,
  formatBinValue,
  formatPreviewCell,
  formatStat,
  histogramBars,
  maskActionLabel,
  parseVersionParam,
  progressPercent,
  quantileOf,
  summariseBars,
  topValueBars,
  versionNeedsPolling,
} from "./profile-format";

describe("formatStat", () => {
  it("keeps text as stored and shortens numbers", () => {
    expect(formatStat("2024-01-31")).toBe("2024-01-31");
    expect(formatStat(null)).toBe("—");
    expect(formatStat(1 / 3)).toBe("0.333333");
    expect(formatStat(42)).toBe("42");
  });
});

describe("quantileOf", () => {
  it("finds a quantile whichever way the profiler spelled its key", () => {
    expect(quantileOf({ p25: 1, p50: 2, p75: 3 }, 0.5)).toBe(2);
    expect(quantileOf({ "0.25": 10, "0.5": 20, "0.75": 30 }, 0.75)).toBe(30);
    expect(quantileOf({ "25": 7 }, 0.25)).toBe(7);
    expect(quantileOf({ "75%": 9 }, 0.75)).toBe(9);
    expect(quantileOf({ q50: 4 }, 0.5)).toBe(4);
  });

  it("is null when the quantile is absent or there are no quantiles", () => {
    expect(quantileOf({ p25: 1 }, 0.75)).toBeNull();
    expect(quantileOf(null, 0.5)).toBeNull();
    expect(quantileOf({ median: 3 }, 0.5)).toBeNull();
  });
});

describe("progressPercent", () => {
  it("turns 0..1 into whole percent, clamped", () => {
    expect(progressPercent(0.256)).toBe(26);
    expect(progressPercent(1.4)).toBe(100);
    expect(progressPercent(-0.2)).toBe(0);
    expect(progressPercent(Number.NaN)).toBe(0);
  });
});

describe("versionNeedsPolling", () => {
  it("polls while profiling and while rules are checked after a finished profile, not after a failure", () => {
    expect(versionNeedsPolling({ profileStatus: "pending", qualityStatus: "pending" })).toBe(true);
    expect(versionNeedsPolling({ profileStatus: "running", qualityStatus: "pending" })).toBe(true);
    expect(versionNeedsPolling({ profileStatus: "done", qualityStatus: "pending" })).toBe(true);
    expect(versionNeedsPolling({ profileStatus: "done", qualityStatus: "passed" })).toBe(false);
    expect(versionNeedsPolling({ profileStatus: "done", qualityStatus: "none" })).toBe(false);
    expect(versionNeedsPolling({ profileStatus: "failed", qualityStatus: "pending" })).toBe(false);
    expect(versionNeedsPolling(undefined)).toBe(false);
  });
});

describe("mini chart bars and summaries", () => {
  it("labels histogram bins by their edges", () => {
    const bars = histogramBars({ edges: [0, 10, 20], counts: [3, 5] });
    expect(bars).toEqual([
      { label: "0 – 10", count: 3 },
      { label: "10 – 20", count: 5 },
    ]);
  });

  it("names missing and empty top values", () => {
    expect(topValueBars([{ value: null, count: 2 }, { value: "", count: 1 }, { value: "Paris", count: 9 }]).map((b) => b.label)).toEqual([
      "(missing)",
      "(empty)",
      "Paris",
    ]);
  });

  it("summarises a histogram by its peak bin and share", () => {
    const text = summariseBars("histogram", "age", [
      { label: "0 – 10", count: 1 },
      { label: "10 – 20", count: 3 },
    ]);
    expect(text).toBe("Histogram of age: 2 bins, 4 values; most between 10 – 20 (75%)");
  });

  it("summarises top values with the first three and how many more", () => {
    const text = summariseBars("top values", "city", [
      { label: "Paris", count: 5 },
      { label: "Lyon", count: 3 },
      { label: "Nice", count: 1 },
      { label: "Lille", count: 1 },
    ]);
    expect(text).toBe("Top values of city: Paris 5, Lyon 3, Nice 1 and 1 more; most common Paris (50%)");
    expect(summariseBars("top values", "city", [])).toBe("city: no values to chart");
  });

  it("gives a top value's share of all rows when told how many there are", () => {
    // One value of 1,500 distinct e-mails is under 1% of the rows, not 100% of the one bar shown.
    expect(summariseBars("top values", "email", [{ label: "x", count: 1 }], 1500)).toBe("Top values of email: x 1; most common x (<1%)");
    expect(summariseBars("top values", "email", [{ label: "x", count: 1 }])).toBe("Top values of email: x 1; most common x (100%)");
  });
});

describe("maskActionLabel", () => {
  it("says each masking choice as the policy table shows it", () => {
    expect(maskActionLabel(undefined)).toBe("Keep");
    expect(maskActionLabel({ action: "drop" })).toBe("Dropped");
    expect(maskActionLabel({ action: "hash" })).toBe("Salted hash");
    expect(maskActionLabel({ action: "redact" })).toBe("Redacted");
    expect(maskActionLabel({ action: "generalise", bandWidth: 10 })).toBe("Generalised (band 10)");
    expect(maskActionLabel({ action: "generalise" })).toBe("Generalised");
  });
});

describe("drift wording", () => {
  it("states which side of the threshold drifts for p-values and distances", () => {
    expect(driftRule("ks", 0.05)).toBe("drift if p < 0.05");
    expect(driftRule("chi-square", 0.05)).toBe("drift if p < 0.05");
    expect(driftRule("wasserstein", 0.1)).toBe("drift if > 0.1");
    expect(driftRule("jensen-shannon", 0.1)).toBe("drift if > 0.1");
  });

  it("heads the comparison with drifted of compared columns and the dataset verdict", () => {
    expect(comparisonSummary({ driftedColumns: 3, comparedColumns: 12, datasetDrift: true })).toBe("3 of 12 columns drifted — dataset drift");
    expect(comparisonSummary({ driftedColumns: 0, comparedColumns: 1, datasetDrift: false })).toBe("0 of 1 column drifted — no dataset drift");
    expect(comparisonSummary({ driftedColumns: 0, comparedColumns: 0, datasetDrift: false })).toMatch(/none could be compared/);
  });

  it("writes bins as percentages when both sides are shares and as counts otherwise", () => {
    expect(binScale([{ reference: 0.25, current: 0.5 }, { reference: 0.75, current: 0.5 }])).toBe("share");
    expect(binScale([{ reference: 1200, current: 3 }])).toBe("count");
    // Counts of 0 and 1 that do not sum to 1 stay counts; a single bin of 1 on each side is a count too.
    expect(binScale([{ reference: 1, current: 1 }, { reference: 1, current: 0 }])).toBe("count");
    expect(binScale([{ reference: 1, current: 1 }])).toBe("count");
    expect(binScale([])).toBe("count");
    expect(formatBinValue(0.25, "share")).toBe("25%");
    expect(formatBinValue(1200, "count")).toBe("1,200");
  });
});

describe("parseVersionParam and formatPreviewCell", () => {
  it("accepts only positive whole version numbers", () => {
    expect(parseVersionParam("3")).toBe(3);
    expect(parseVersionParam("0")).toBeNull();
    expect(parseVersionParam("-1")).toBeNull();
    expect(parseVersionParam("1.5")).toBeNull();
    expect(parseVersionParam(null)).toBeNull();
  });

  it("shows null apart from the empty string", () => {
    expect(formatPreviewCell(null)).toBe("null");
    expect(formatPreviewCell("")).toBe("");
    expect(formatPreviewCell(false)).toBe("false");
    expect(formatPreviewCell(2.5)).toBe("2.5");
  });
});
