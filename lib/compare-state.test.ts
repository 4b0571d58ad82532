import { describe, expect, it } from "vitest";
import {
  COMPARE_CHART_MAX_POINTS,
  DEFAULT_COMPARE_STATE,
  compareChartRequests,
  compareStateToQuery,
  parseCompareState,
  sameChartRequest,
  type CompareState,
} from "./compare-state";
import { decodeUrlList, encodeUrlList } from "./url-list";

describe("url lists", () => {
  it("round-trips items holding commas, percent signs and spaces", () => {
    const items = ["f1, macro", "100%", "a%2Cb", "plain", "with space"];
    expect(decodeUrlList(encodeUrlList(items))).toEqual(items);
    const viaUrl = new URLSearchParams(`v=${encodeURIComponent(encodeUrlList(items))}`).get("v");
    expect(decodeUrlList(viaUrl)).toEqual(items);
  });

  it("reads a missing or empty value as no items", () => {
    expect(decodeUrlList(null)).toEqual([]);
    expect(decodeUrlList("")).toEqual([]);
    expect(decodeUrlList("a,,b")).toEqual(["a", "b"]);
  });
});

describe("compare state in the URL", () => {
  const full: CompareState = {
    runs: ["r1", "r2", "r3"],
    selection: null,
    metrics: ["loss", "f1, macro"],
    x: "relative",
    smoothing: 0.6,
    logScale: true,
    hidden: ["r2"],
    range: { min: 1500.5, max: 90000 },
    scatter: { x: "params.lr", y: "metrics.acc" },
    parallel: { axes: ["params.lr", "params.depth"], metric: "metrics.acc" },
    group: "params.model.kind",
    baseline: "r1",
    summaryMetric: "f1, macro",
  };

  it("reopens exactly the state a link was made from", () => {
    const query = compareStateToQuery(full);
    expect(parseCompareState(query)).toEqual(full);
    // Through a real URL, as the browser hands it back after a reload.
    const url = new URL(`http://studio.test/experiments/1/compare?${query}`);
    expect(parseCompareState(url.searchParams)).toEqual(full);
  });

  it("leaves defaults out of the link", () => {
    expect(compareStateToQuery(DEFAULT_COMPARE_STATE)).toBe("");
    expect(compareStateToQuery({ ...DEFAULT_COMPARE_STATE, runs: ["a", "b"] })).toBe("runs=a%2Cb");
    expect(parseCompareState("")).toEqual(DEFAULT_COMPARE_STATE);
  });

  it("opens a hand-edited link with sane fallbacks instead of failing", () => {
    const state = parseCompareState("runs=a,b,a&x=sideways&smooth=7&from=9&to=3&hidden=b,zzz&log=yes");
    expect(state.runs).toEqual(["a", "b"]);
    expect(state.x).toBe("step");
    expect(state.smoothing).toBe(0.99);
    expect(state.range).toBeNull();
    expect(state.hidden).toEqual(["b"]);
    expect(state.logScale).toBe(false);
    expect(parseCompareState("smooth=-1&from=1&to=abc")).toMatchObject({ smoothing: 0, range: null });
    // Runs group by a param or a tag only: a metric is a curve, not a label.
    expect(parseCompareState("group=metrics.acc").group).toBeNull();
    expect(parseCompareState("group=tags.team").group).toBe("tags.team");
  });

  it("carries a saved selection's short id instead of its runs, and keeps its hidden runs until they load", () => {
    const saved: CompareState = { ...full, runs: [], selection: "Ab3_x-9QzW1kLm0P", hidden: ["r2"] };
    const query = compareStateToQuery(saved);
    expect(query).toContain("sel=Ab3_x-9QzW1kLm0P");
    expect(query).not.toContain("runs=");
    expect(parseCompareState(query)).toEqual(saved);
    // Once the selection's runs are known they never leak back into the link.
    expect(compareStateToQuery({ ...saved, runs: ["r1", "r2"] })).not.toContain("runs=");
  });
});

describe("a chart's data requests", () => {
  const runs = Array.from({ length: 250 }, (_, i) => `run-${i}`);
  it("splits the runs into requests of 100, each with the fixed point count, the axis and any zoomed range", () => {
    const requests = compareChartRequests({ runs, x: "time", range: { min: 5, max: 9 } }, "loss");
    expect(requests.map((r) => r.runIds.length)).toEqual([100, 100, 50]);
    expect(requests.flatMap((r) => r.runIds)).toEqual(runs);
    for (const r of requests) expect(r).toMatchObject({ keys: ["loss"], xAxis: "time", maxPoints: COMPARE_CHART_MAX_POINTS, range: { min: 5, max: 9 } });
    expect(compareChartRequests({ runs: runs.slice(0, 3), x: "step", range: null }, "acc")).toEqual([
      { runIds: runs.slice(0, 3), keys: ["acc"], xAxis: "step", maxPoints: COMPARE_CHART_MAX_POINTS },
    ]);
  });

  it("recognises only exactly the same request (an early answer for another view is not adopted)", () => {
    const [base] = compareChartRequests({ runs: runs.slice(0, 3), x: "step", range: null }, "loss");
    expect(sameChartRequest(base, { ...base, runIds: [...base.runIds], keys: ["loss"] })).toBe(true);
    expect(sameChartRequest(base, { ...base, runIds: [...base.runIds].reverse() })).toBe(false);
    expect(sameChartRequest(base, { ...base, runIds: base.runIds.slice(0, 2) })).toBe(false);
    expect(sameChartRequest(base, { ...base, keys: ["acc"] })).toBe(false);
    expect(sameChartRequest(base, { ...base, xAxis: "relative" })).toBe(false);
    expect(sameChartRequest(base, { ...base, maxPoints: 500 })).toBe(false);
    expect(sameChartRequest(base, { ...base, range: { min: 0, max: 10 } })).toBe(false);
    expect(sameChartRequest({ ...base, range: { min: 0, max: 10 } }, { ...base, range: { min: 0, max: 11 } })).toBe(false);
  });
});
