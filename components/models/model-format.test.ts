// Links, first lines, shapes, operator bars and lineage parsing used by the model pages.
import { describe, expect, it } from "vitest";
import {
  aliasesOfVersion,
  formatTensorShape,
  modelVersionHref,
  newestVersion,
  onnxDownloadHref,
  operatorBars,
  parseModelLineage,
  playgroundHref,
  runHref,
  stageOffersArchiving,
} from "./model-format";

describe("links", () => {
  it("encodes names so slashes and spaces stay inside one segment", () => {
    expect(modelVersionHref("fraud / v2", "3")).toBe("/models/fraud%20%2F%20v2/versions/3");
    expect(playgroundHref("iris", 1)).toBe("/models/iris/versions/1/playground");
    expect(onnxDownloadHref("a b", "2")).toBe("/api/models/a%20b/versions/2/model.onnx");
    expect(runHref("7", "abc")).toBe("/experiments/7/runs/abc");
  });
});

describe("formatTensorShape", () => {
  it("writes named, fixed and free dimensions", () => {
    expect(formatTensorShape(["N", 4, null])).toBe("[N, 4, ?]");
    expect(formatTensorShape([])).toBe("scalar");
    expect(formatTensorShape(null)).toBe("unknown shape");
  });
});

describe("newestVersion", () => {
  it("compares version numbers, not strings", () => {
    expect(newestVersion([{ version: "9" }, { version: "10" }, { version: "2" }])?.version).toBe("10");
    expect(newestVersion([])).toBeNull();
  });
});

describe("operatorBars", () => {
  it("scales to the most used operator and names non-default domains", () => {
    const bars = operatorBars([
      { domain: "ai.onnx.ml", opType: "TreeEnsembleClassifier", count: 4 },
      { domain: "", opType: "Cast", count: 1 },
      { domain: "ai.onnx", opType: "Identity", count: 2 },
    ]);
    expect(bars.map((bar) => bar.label)).toEqual(["ai.onnx.ml.TreeEnsembleClassifier", "Cast", "Identity"]);
    expect(bars.map((bar) => bar.percentOfMax)).toEqual([100, 25, 50]);
    expect(operatorBars([])).toEqual([]);
  });
});

describe("stages and aliases", () => {
  it("offers archiving only when moving into Staging or Production", () => {
    expect(stageOffersArchiving("Production")).toBe(true);
    expect(stageOffersArchiving("Staging")).toBe(true);
    expect(stageOffersArchiving("Archived")).toBe(false);
    expect(stageOffersArchiving("None")).toBe(false);
  });
  it("lists the aliases pointing at a version", () => {
    const aliases = [
      { alias: "champion", version: "1" },
      { alias: "challenger", version: "2" },
      { alias: "production", version: "1" },
    ];
    expect(aliasesOfVersion(aliases, "1")).toEqual(["champion", "production"]);
    expect(aliasesOfVersion(aliases, "3")).toEqual([]);
  });
});

describe("parseModelLineage", () => {
  it("keeps a full lineage record", () => {
    const lineage = {
      runId: "r1",
      experimentId: "2",
      runName: "rf",
      artifactPath: "model/model.onnx",
      metrics: { accuracy: 0.95 },
      params: { n_estimators: "100" },
      datasets: [{ name: "cancer", digest: "ab", context: "training", registry: { datasetName: "cancer", version: 2, qualityStatus: "failed", qualityReason: "x" } }],
      derivedFrom: null,
    };
    expect(parseModelLineage(lineage)).toEqual(lineage);
  });
  it("fills missing or malformed fields instead of failing the page", () => {
    const parsed = parseModelLineage({ runId: "r1", metrics: { bad: "x" }, derivedFrom: { version: "1", transform: "remove-zipmap" } });
    expect(parsed).toEqual({
      runId: "r1",
      experimentId: null,
      runName: null,
      artifactPath: null,
      metrics: {},
      params: {},
      datasets: [],
      derivedFrom: { version: "1", transform: "remove-zipmap" },
    });
    expect(parseModelLineage(null)).toBeNull();
    expect(parseModelLineage("text")).toBeNull();
  });
});
