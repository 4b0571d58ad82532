// The monitoring page's pure helpers: window labels, drift severity and order, PSI band text, chart rows, settings parsing.
import { describe, expect, it } from "vitest";
import { defaultMonitoringThresholds, type FeatureDrift, type MonitoringWindow } from "@/server/monitoring/schema";
import { monitoringWindow } from "@/server/testing/monitoring-window";
import {
  aliasChangeText,
  isolatedPointIndexes,
  windowChartDomain,
  driftSeverity,
  featureScoreSeries,
  formatWindowStart,
  formatWindowTick,
  hasTraffic,
  latestWindowWithRows,
  liveMetricName,
  monitoringChartRows,
  parseReferenceChoice,
  parseSettingsDraft,
  psiBandText,
  requestReviewHref,
  scoreAgainstThreshold,
  seriesSummary,
  settingsDraft,
  settingsErrorsFromServer,
  sortFeatureDrift,
} from "./monitoring-view";

function drift(feature: string, test: FeatureDrift["test"], score: number, threshold: number, drifted: boolean): FeatureDrift {
  return { feature, kind: test === "ks" || test === "wasserstein" ? "numeric" : "categorical", test, score, threshold, drifted, psi: 0, psiBand: "stable", count: 100 };
}

function window(start: number, overrides: Partial<MonitoringWindow> = {}): MonitoringWindow {
  return monitoringWindow(start, 10, overrides);
}

const t0 = Date.UTC(2026, 2, 14, 9, 0);

describe("window labels", () => {
  it("write an hour window with its UTC time and a day window as its date", () => {
    expect(formatWindowStart(t0, "hour")).toBe("2026-03-14 09:00 UTC");
    expect(formatWindowStart(t0, "day")).toBe("2026-03-14");
    expect(formatWindowTick(t0, "hour")).toBe("09:00");
    expect(formatWindowTick(t0, "day")).toBe("03-14");
  });
});

describe("drift severity and order", () => {
  const ksDrifted = drift("age", "ks", 0.001, 0.05, true); // 50× past
  const ksStable = drift("income", "ks", 0.5, 0.05, false); // 0.1
  const wDrifted = drift("bmi", "wasserstein", 0.3, 0.1, true); // 3×
  const jsStable = drift("city", "jensen-shannon", 0.08, 0.1, false); // 0.8

  it("turns p-values around so that both kinds of test grow with drift and cross 1 at the threshold", () => {
    expect(driftSeverity(ksDrifted)).toBeCloseTo(50);
    expect(driftSeverity(wDrifted)).toBeCloseTo(3);
    expect(driftSeverity(jsStable)).toBeCloseTo(0.8);
    expect(driftSeverity(drift("x", "chi-square", 0.05, 0.05, false))).toBeCloseTo(1);
    expect(Number.isFinite(driftSeverity(drift("x", "ks", 0, 0.05, true)))).toBe(true);
  });

  it("sorts by severity, drifted first, or by name, without changing the input", () => {
    const features = [jsStable, ksStable, wDrifted, ksDrifted];
    expect(sortFeatureDrift(features, "severity").map((f) => f.feature)).toEqual(["age", "bmi", "city", "income"]);
    expect(sortFeatureDrift([drift("z", "wasserstein", 0.09, 0.1, false), drift("a", "wasserstein", 0.1, 0.1, true)], "drifted").map((f) => f.feature)).toEqual(["a", "z"]);
    expect(sortFeatureDrift(features, "name").map((f) => f.feature)).toEqual(["age", "bmi", "city", "income"]);
    expect(features[0]).toBe(jsStable);
  });

  it("writes the score against its threshold in the direction that flags drift", () => {
    expect(scoreAgainstThreshold(ksDrifted)).toBe("0.001 < 0.05");
    expect(scoreAgainstThreshold(ksStable)).toBe("0.5 ≥ 0.05");
    expect(scoreAgainstThreshold(wDrifted)).toBe("0.3 ≥ 0.1");
    expect(scoreAgainstThreshold(jsStable)).toBe("0.08 < 0.1");
  });

  it("names the PSI bands with their limits", () => {
    expect(psiBandText("stable")).toBe("stable (< 0.1)");
    expect(psiBandText("moderate")).toBe("moderate (0.1–0.25)");
    expect(psiBandText("significant")).toBe("significant (≥ 0.25)");
  });
});

describe("chart series", () => {
  const windows = [
    window(t0, { requests: 0, rows: 0, latencyP50: null, latencyP95: null, latencyP99: null, driftShare: null }),
    window(t0 + 3600_000, {
      driftShare: 0.25,
      predictionDrift: drift("prediction", "ks", 0.2, 0.05, false),
      liveMetric: { name: "accuracy", value: 0.91, count: 40 },
      features: [drift("age", "ks", 0.2, 0.05, false)],
    }),
    window(t0 + 7200_000, { driftShare: 0.5, features: [drift("age", "ks", 0.01, 0.05, true), drift("bmi", "ks", 0.3, 0.05, false)] }),
    window(t0 + 10800_000, { requests: 0, rows: 0, features: [] }),
  ];

  it("keeps one row per window with gaps as null, so lines break where nothing was measured", () => {
    const rows = monitoringChartRows(windows);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ start: t0, requests: 0, latencyP95: null, driftShare: null, predictionDrift: null, liveMetric: null });
    expect(rows[1]).toMatchObject({ driftShare: 0.25, predictionDrift: 0.2, liveMetric: 0.91 });
    expect(liveMetricName(windows)).toBe("accuracy");
    expect(liveMetricName([window(t0)])).toBeNull();
  });

  it("follows one feature across the windows that measured it and finds the newest window with rows", () => {
    expect(featureScoreSeries(windows, "age")).toEqual([
      { start: t0 + 3600_000, score: 0.2, threshold: 0.05, drifted: false },
      { start: t0 + 7200_000, score: 0.01, threshold: 0.05, drifted: true },
    ]);
    expect(featureScoreSeries(windows, "bmi")).toHaveLength(1);
    expect(latestWindowWithRows(windows)?.start).toBe(t0 + 7200_000);
    expect(latestWindowWithRows([])).toBeNull();
    expect(hasTraffic(windows)).toBe(true);
    expect(hasTraffic([windows[0]])).toBe(false);
  });

  it("summarises a series without its gaps", () => {
    expect(seriesSummary([null, 3, 1, null, 2, null])).toEqual({ min: 1, max: 3, last: 2, count: 3 });
    expect(seriesSummary([null])).toBeNull();
  });
});

describe("settings form", () => {
  const settings = { sampleRate: 0.25, retentionDays: 30, thresholds: { ...defaultMonitoringThresholds, liveMetric: 0.8 } };

  it("round-trips the settings through the form, sampling rate as a percentage", () => {
    const draft = settingsDraft(settings, { datasetName: "patients@2025", version: 3, source: "chosen" });
    expect(draft.samplePercent).toBe("25");
    expect(draft.reference).toBe("patients@2025@3");
    const parsed = parseSettingsDraft("m", draft);
    expect(parsed).toEqual({
      ok: true,
      input: { name: "m", sampleRate: 0.25, retentionDays: 30, thresholds: settings.thresholds, reference: { datasetName: "patients@2025", version: 3 } },
    });
  });

  it("chooses the lineage when the reference came from it, and a blank live metric means not checked", () => {
    const draft = settingsDraft({ ...settings, thresholds: defaultMonitoringThresholds }, { datasetName: "patients", version: 1, source: "lineage" });
    expect(draft.reference).toBe("lineage");
    expect(draft.liveMetric).toBe("");
    const parsed = parseSettingsDraft("m", draft);
    expect(parsed.ok && parsed.input.reference).toBeNull();
    expect(parsed.ok && parsed.input.thresholds.liveMetric).toBeNull();
  });

  it("says per field what to type instead of an out-of-range or missing value", () => {
    const draft = { ...settingsDraft(settings, null), samplePercent: "150", retentionDays: "2.5", ksPValue: "1", jensenShannon: "", liveMetric: "-1" };
    const parsed = parseSettingsDraft("m", draft);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual(["jensenShannon", "ksPValue", "liveMetric", "retentionDays", "samplePercent"]);
    expect(parsed.errors.samplePercent).toMatch(/0 to 100/);
  });

  it("places the server's field errors next to the matching boxes", () => {
    expect(settingsErrorsFromServer({ sampleRate: ["The sampling rate is a share between 0 and 1"], other: ["x"] })).toEqual({
      samplePercent: "The sampling rate is a share between 0 and 1",
    });
    expect(settingsErrorsFromServer(undefined)).toEqual({});
  });

  it("parses a dataset choice with '@' in its name and refuses a broken one", () => {
    expect(parseReferenceChoice("a@b@12")).toEqual({ datasetName: "a@b", version: 12 });
    expect(parseReferenceChoice("lineage")).toBeNull();
    expect(parseReferenceChoice("name@x")).toBeNull();
  });
});

describe("deployments text and links", () => {
  it("writes alias changes and the review request link", () => {
    expect(aliasChangeText("3", "4")).toBe("v3 → v4");
    expect(aliasChangeText(null, "1")).toBe("— → v1");
    expect(aliasChangeText("2", null)).toBe("v2 → —");
    expect(requestReviewHref("my model", "4")).toBe("/reviews/new?model=my%20model&version=4");
  });
});

describe("window charts with few points", () => {
  it("widens a single window's zero-wide span by one window each side", () => {
    const t = Date.UTC(2026, 11, 1, 6);
    expect(windowChartDomain([t], "hour")).toEqual([t - 3_600_000, t + 3_600_000]);
    expect(windowChartDomain([t, t + 86_400_000], "day")).toEqual([t, t + 86_400_000]);
    expect(windowChartDomain([], "day")).toBeNull();
  });

  it("marks the values no line can reach: no neighbour on either side", () => {
    expect([...isolatedPointIndexes([0.4])]).toEqual([0]);
    expect([...isolatedPointIndexes([0.4, null, 0.5, 0.6, null, 0.7])]).toEqual([0, 5]);
    expect([...isolatedPointIndexes([null, 1, null, Number.NaN, 2])]).toEqual([1, 4]);
    expect([...isolatedPointIndexes([1, 2, 3])]).toEqual([]);
  });
});
