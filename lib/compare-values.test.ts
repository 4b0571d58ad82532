import { describe, expect, it } from "vitest";
import {
  AXIS_PADDING,
  METRIC_RAMP,
  axisPosition,
  buildAxis,
  columnType,
  compareCategories,
  defaultParallelChoice,
  defaultScatterChoice,
  describeColumns,
  diffParams,
  metricRampColor,
  nearestPolyline,
  niceTicks,
  numericScale,
  parseColumnId,
  parseNumericText,
  polylinePositions,
  runValue,
  scatterData,
} from "./compare-values";
import { makeRun } from "./testing/make-run";

describe("parseColumnId", () => {
  it("splits on the first dot only, so keys keep their dots", () => {
    expect(parseColumnId("metrics.val.acc")).toEqual({ kind: "metrics", key: "val.acc" });
    expect(parseColumnId("params.lr")).toEqual({ kind: "params", key: "lr" });
    expect(parseColumnId("tags.mlflow.user")).toEqual({ kind: "tags", key: "mlflow.user" });
  });

  it("refuses unknown kinds and empty keys", () => {
    expect(parseColumnId("attributes.start_time")).toBeNull();
    expect(parseColumnId("metrics.")).toBeNull();
    expect(parseColumnId("lr")).toBeNull();
  });
});

describe("parseNumericText", () => {
  it("reads decimal and scientific numbers", () => {
    expect(parseNumericText("0.01")).toBe(0.01);
    expect(parseNumericText(" 1e-3 ")).toBe(0.001);
    expect(parseNumericText("-5")).toBe(-5);
    expect(parseNumericText(".5")).toBe(0.5);
    expect(parseNumericText("3.")).toBe(3);
  });

  it("keeps words, hex, NaN, infinities and overflow as text", () => {
    for (const text of ["", "adam", "0x10", "NaN", "Infinity", "-inf", "1e999", "1_000", "1,5", "None"]) {
      expect(parseNumericText(text), text).toBeNull();
    }
  });
});

describe("runValue", () => {
  const run = makeRun("a", { lr: "0.01", optimizer: "adam", "a.b": "2" }, { acc: 0.9, loss: Number.NaN }, { team: "vision" });

  it("reads metrics, params (numeric when they parse) and tags", () => {
    expect(runValue(run, "metrics.acc")).toEqual({ text: "0.9", number: 0.9 });
    expect(runValue(run, "params.lr")).toEqual({ text: "0.01", number: 0.01 });
    expect(runValue(run, "params.optimizer")).toEqual({ text: "adam", number: null });
    expect(runValue(run, "params.a.b")).toEqual({ text: "2", number: 2 });
    expect(runValue(run, "tags.team")).toEqual({ text: "vision", number: null });
  });

  it("gives a NaN metric text but no number, and null when the run lacks the column", () => {
    expect(runValue(run, "metrics.loss")).toEqual({ text: "NaN", number: null });
    expect(runValue(run, "metrics.f1")).toBeNull();
    expect(runValue(run, "params.batch")).toBeNull();
    expect(runValue(run, "nonsense")).toBeNull();
  });
});

describe("column types", () => {
  const runs = [
    makeRun("a", { lr: "0.1", opt: "adam", depth: "3" }, { acc: 0.8 }),
    makeRun("b", { lr: "0.01", opt: "sgd", depth: "auto" }, { acc: Number.NaN }),
    makeRun("c", { lr: "1e-3" }, {}),
  ];

  it("calls a param numeric only when every run that has it logged a finite number", () => {
    expect(columnType(runs, "params.lr")).toBe("numeric");
    expect(columnType(runs, "params.opt")).toBe("categorical");
    expect(columnType(runs, "params.depth")).toBe("categorical");
    expect(columnType(runs, "metrics.acc")).toBe("numeric");
    expect(columnType(runs, "metrics.f1")).toBeNull();
    expect(columnType([], "params.lr")).toBeNull();
  });

  it("lists params then metrics, sorted naturally, with the runs that can be placed", () => {
    const columns = describeColumns(runs);
    expect(columns.map((c) => c.id)).toEqual(["params.depth", "params.lr", "params.opt", "metrics.acc"]);
    expect(columns.find((c) => c.id === "metrics.acc")).toMatchObject({ type: "numeric", runsWithValue: 1 });
    expect(columns.find((c) => c.id === "params.depth")).toMatchObject({ type: "categorical", runsWithValue: 2 });
    expect(columns.find((c) => c.id === "params.lr")).toMatchObject({ type: "numeric", runsWithValue: 3 });
  });

  it("lists nothing for runs without params or metrics", () => {
    expect(describeColumns([makeRun("a")])).toEqual([]);
    expect(describeColumns([])).toEqual([]);
  });

  it("sorts keys naturally: layer_2 before layer_10", () => {
    const columns = describeColumns([makeRun("a", { layer_10: "1", layer_2: "1", Alpha: "1" })]);
    expect(columns.map((c) => c.key)).toEqual(["Alpha", "layer_2", "layer_10"]);
  });
});

describe("diffParams", () => {
  it("splits params into differing and equal, sorted by key; a missing param is a value of its own", () => {
    const runs = [
      makeRun("a", { lr: "0.1", seed: "1", opt: "adam", extra: "x" }),
      makeRun("b", { lr: "0.01", seed: "1", opt: "adam" }),
      makeRun("c", { lr: "0.1", seed: "1", opt: "adam" }),
    ];
    const diff = diffParams(runs);
    expect(diff.differing).toEqual([
      { key: "extra", values: ["x", null, null], commonValue: null },
      { key: "lr", values: ["0.1", "0.01", "0.1"], commonValue: "0.1" },
    ]);
    expect(diff.equal).toEqual([
      { key: "opt", value: "adam" },
      { key: "seed", value: "1" },
    ]);
  });

  it("compares the logged text: 0.10 and 0.1 differ", () => {
    const diff = diffParams([makeRun("a", { lr: "0.10" }), makeRun("b", { lr: "0.1" })]);
    expect(diff.differing.map((r) => r.key)).toEqual(["lr"]);
  });

  it("breaks a tie for the common value in favour of the first run", () => {
    const diff = diffParams([makeRun("a", { lr: "1" }), makeRun("b", { lr: "2" })]);
    expect(diff.differing[0].commonValue).toBe("1");
  });

  it("finds every param of a single run equal", () => {
    const diff = diffParams([makeRun("a", { lr: "0.1", opt: "adam" })]);
    expect(diff.differing).toEqual([]);
    expect(diff.equal.map((p) => p.key)).toEqual(["lr", "opt"]);
  });

  it("gives nothing for no runs or runs without params", () => {
    expect(diffParams([])).toEqual({ differing: [], equal: [] });
    expect(diffParams([makeRun("a"), makeRun("b")])).toEqual({ differing: [], equal: [] });
  });
});

describe("niceTicks", () => {
  it("picks round steps inside the range", () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-0.05, 1.05)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(3, 97)).toEqual([20, 40, 60, 80]);
    expect(niceTicks(0.1, 0.3)).toEqual([0.1, 0.15, 0.2, 0.25, 0.3]);
  });

  it("handles a single value and non-finite bounds", () => {
    expect(niceTicks(2, 2)).toEqual([2]);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });
});

describe("numericScale", () => {
  it("pads the range on both sides", () => {
    const scale = numericScale([0, 10, 5]);
    expect(scale?.min).toBeCloseTo(-10 * AXIS_PADDING);
    expect(scale?.max).toBeCloseTo(10 + 10 * AXIS_PADDING);
  });

  it("gives all-equal values a range around them, so they sit mid-axis", () => {
    const scale = numericScale([4, 4, 4]);
    expect(scale).not.toBeNull();
    expect(scale?.max).toBeGreaterThan(4);
    expect(axisPosition(scale as NonNullable<typeof scale>, { text: "4", number: 4 })).toBeCloseTo(0.5);
    const zero = numericScale([0]);
    expect(zero?.min).toBe(-1);
    expect(zero?.max).toBe(1);
  });

  it("ignores NaN and infinities, and gives null with nothing finite", () => {
    expect(numericScale([Number.NaN, 1, Number.POSITIVE_INFINITY, 3])?.min).toBeCloseTo(1 - 2 * AXIS_PADDING);
    expect(numericScale([Number.NaN])).toBeNull();
    expect(numericScale([])).toBeNull();
  });
});

describe("parallel-coordinates axes", () => {
  const runs = [
    makeRun("a", { lr: "0", opt: "sgd" }, { acc: 0.5 }),
    makeRun("b", { lr: "10", opt: "adam" }, { acc: Number.NaN }),
    makeRun("c", { opt: "10" }, { acc: 1 }),
  ];

  it("scales a numeric axis linearly from its padded minimum to maximum", () => {
    const axis = buildAxis(runs, "params.lr");
    expect(axis?.scale.type).toBe("numeric");
    const bottom = AXIS_PADDING / (1 + 2 * AXIS_PADDING);
    expect(axisPosition(axis!.scale, runValue(runs[0], "params.lr"))).toBeCloseTo(bottom);
    expect(axisPosition(axis!.scale, runValue(runs[1], "params.lr"))).toBeCloseTo(1 - bottom);
    expect(axisPosition(axis!.scale, runValue(runs[2], "params.lr"))).toBeNull();
  });

  it("spaces sorted categories evenly, numbers before words", () => {
    const axis = buildAxis(runs, "params.opt");
    expect(axis?.scale).toEqual({ type: "categorical", categories: ["10", "adam", "sgd"] });
    expect(axisPosition(axis!.scale, { text: "10", number: 10 })).toBeCloseTo(1 / 6);
    expect(axisPosition(axis!.scale, { text: "adam", number: null })).toBeCloseTo(0.5);
    expect(axisPosition(axis!.scale, { text: "sgd", number: null })).toBeCloseTo(5 / 6);
    expect(axisPosition(axis!.scale, { text: "rmsprop", number: null })).toBeNull();
  });

  it("puts a single category mid-axis", () => {
    const axis = buildAxis([makeRun("a", { opt: "adam" })], "params.opt");
    expect(axisPosition(axis!.scale, { text: "adam", number: null })).toBe(0.5);
  });

  it("leaves NaN metrics off the axis and builds no axis for a column nobody has", () => {
    const axis = buildAxis(runs, "metrics.acc");
    expect(axis?.scale.type).toBe("numeric");
    expect(polylinePositions(runs[1], [axis!])).toEqual([null]);
    expect(buildAxis(runs, "metrics.f1")).toBeNull();
    expect(buildAxis([makeRun("a", {}, { acc: Number.NaN })], "metrics.acc")).toBeNull();
  });

  it("gives each run one position per axis", () => {
    const axes = [buildAxis(runs, "params.lr")!, buildAxis(runs, "params.opt")!, buildAxis(runs, "metrics.acc")!];
    const positions = polylinePositions(runs[2], axes);
    expect(positions[0]).toBeNull();
    expect(positions[1]).toBeCloseTo(1 / 6);
    expect(positions[2]).toBeCloseTo(1 - AXIS_PADDING / (1 + 2 * AXIS_PADDING));
  });

  it("sorts categories numbers first, in numeric order", () => {
    expect(["b", "10", "2", "a", "-1"].sort(compareCategories)).toEqual(["-1", "2", "10", "a", "b"]);
  });
});

describe("nearestPolyline", () => {
  const axisXs = [0, 100, 200];
  const lines = [
    [10, 10, 10],
    [50, 90, null],
    [100, 100, 100],
  ];

  it("measures at the pointer's x, between the two axes around it", () => {
    expect(nearestPolyline(lines, axisXs, 50, 70, 8)).toBe(1);
    expect(nearestPolyline(lines, axisXs, 50, 12, 8)).toBe(0);
  });

  it("skips lines broken by a missing value and answers -1 when nothing is close", () => {
    expect(nearestPolyline(lines, axisXs, 150, 90, 8)).toBe(-1);
    expect(nearestPolyline(lines, axisXs, 150, 98, 8)).toBe(2);
    expect(nearestPolyline(lines, axisXs, 50, 40, 5)).toBe(-1);
  });

  it("uses the axis point near the chart's ends and with one axis", () => {
    expect(nearestPolyline(lines, axisXs, -4, 49, 8)).toBe(1);
    expect(nearestPolyline(lines, axisXs, -40, 49, 8)).toBe(-1);
    expect(nearestPolyline([[5], [30]], [60], 62, 28, 8)).toBe(1);
    expect(nearestPolyline(lines, [], 0, 0, 8)).toBe(-1);
  });
});

describe("metricRampColor", () => {
  it("runs from the ramp's first colour to its last and clamps outside 0..1", () => {
    expect(metricRampColor(0)).toBe(METRIC_RAMP[0]);
    expect(metricRampColor(1)).toBe(METRIC_RAMP[METRIC_RAMP.length - 1]);
    expect(metricRampColor(-3)).toBe(METRIC_RAMP[0]);
    expect(metricRampColor(7)).toBe(METRIC_RAMP[METRIC_RAMP.length - 1]);
    expect(metricRampColor(Number.NaN)).toBe(METRIC_RAMP[0]);
    expect(metricRampColor(0.5)).toBe(METRIC_RAMP[2]);
  });

  it("mixes neighbouring colours between stops", () => {
    // Halfway between #2f6fd6 and #7f5ad8 (the first quarter of the ramp is their blend).
    expect(metricRampColor(0.125)).toBe("#5765d7");
  });
});

describe("defaults", () => {
  it("parallel coordinates: up to four differing params and the first metric", () => {
    const runs = [
      makeRun("a", { a: "1", b: "1", c: "1", d: "1", e: "1", same: "x" }, { loss: 1, acc: 0.5 }),
      makeRun("b", { a: "2", b: "2", c: "2", d: "2", e: "2", same: "x" }, { loss: 2, acc: 0.6 }),
    ];
    expect(defaultParallelChoice(runs)).toEqual({ axes: ["params.a", "params.b", "params.c", "params.d"], metric: "metrics.acc" });
  });

  it("parallel coordinates: with nothing differing (one run), the first params; no metric when none is logged", () => {
    expect(defaultParallelChoice([makeRun("a", { lr: "0.1", opt: "adam" })])).toEqual({ axes: ["params.lr", "params.opt"], metric: null });
    expect(defaultParallelChoice([])).toEqual({ axes: [], metric: null });
  });

  it("scatter: first param against first metric, else two metrics, else nothing", () => {
    const runs = [makeRun("a", { lr: "0.1", opt: "adam" }, { loss: 1, acc: 0.5 })];
    expect(defaultScatterChoice(describeColumns(runs))).toEqual({ x: "params.lr", y: "metrics.acc" });
    expect(defaultScatterChoice(describeColumns([makeRun("a", {}, { loss: 1, acc: 2 })]))).toEqual({ x: "metrics.acc", y: "metrics.loss" });
    expect(defaultScatterChoice(describeColumns([makeRun("a", { lr: "0.1", seed: "1" })]))).toEqual({ x: "params.lr", y: "params.seed" });
    expect(defaultScatterChoice([])).toEqual({ x: null, y: null });
  });

  it("scatter: prefers a param that differs between the runs", () => {
    const runs = [makeRun("a", { batch: "64", lr: "0.1" }, { acc: 0.5 }), makeRun("b", { batch: "64", lr: "0.2" }, { acc: 0.6 })];
    const differing = new Set(diffParams(runs).differing.map((row) => row.key));
    expect(defaultScatterChoice(describeColumns(runs), differing)).toEqual({ x: "params.lr", y: "metrics.acc" });
    expect(defaultScatterChoice(describeColumns(runs))).toEqual({ x: "params.batch", y: "metrics.acc" });
  });
});

describe("scatterData", () => {
  const runs = [
    makeRun("a", { lr: "0.1", opt: "sgd" }, { acc: 0.8 }),
    makeRun("b", { lr: "0.01", opt: "adam" }, { acc: 0.9 }),
    makeRun("c", { opt: "adam" }, { acc: 0.7 }),
    makeRun("d", { lr: "0.5" }, { acc: Number.NaN }),
    makeRun("e"),
  ];

  it("gives one point per run with both values and counts the runs left out", () => {
    const data = scatterData(runs, "params.lr", "metrics.acc");
    expect(data.points).toEqual([
      { runId: "a", runName: "name-a", x: 0.1, y: 0.8, xText: "0.1", yText: "0.8" },
      { runId: "b", runName: "name-b", x: 0.01, y: 0.9, xText: "0.01", yText: "0.9" },
    ]);
    expect(data.missing).toBe(3);
    expect(data.xCategories).toBeNull();
  });

  it("places categories at their sorted index", () => {
    const data = scatterData(runs, "params.opt", "metrics.acc");
    expect(data.xCategories).toEqual(["adam", "sgd"]);
    expect(data.points.map((p) => [p.runId, p.x])).toEqual([
      ["a", 1],
      ["b", 0],
      ["c", 0],
    ]);
    expect(data.missing).toBe(2);
  });

  it("handles one run, no runs, and a column nobody has", () => {
    expect(scatterData([runs[0]], "params.lr", "metrics.acc").points).toHaveLength(1);
    expect(scatterData([], "params.lr", "metrics.acc")).toEqual({ points: [], missing: 0, xCategories: null, yCategories: null });
    expect(scatterData(runs, "metrics.f1", "metrics.acc")).toMatchObject({ points: [], missing: 5 });
  });

  it("falls back to the run id when a run has no name", () => {
    const unnamed = makeRun("z", { lr: "1" }, { acc: 1 });
    unnamed.info.run_name = "";
    expect(scatterData([unnamed], "params.lr", "metrics.acc").points[0].runName).toBe("z");
  });
});
