// The series metrics must render exactly as prom-client's own Counter and Histogram would: dashboards and alerts read
// the same text. Each test feeds the same observations to both and compares the exposition and the JSON form.
import { Counter, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { SeriesCounter, SeriesHistogram } from "./series-metrics";

const BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

describe("series metrics", () => {
  it("a counter renders as prom-client's, series in first-use order, label values escaped", async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const options = { name: "t_requests_total", help: "Requests by model, version and status", labelNames: ["model", "version", "status"] };
    const reference = new Counter({ ...options, registers: [theirs] });
    const counter = new SeriesCounter({ ...options, registers: [ours] });
    const calls: [string, string, number, number][] = [
      ["iris", "1", 200, 1],
      ["iris", "1", 200, 1],
      ["iris", "2", 400, 1],
      ['we"ird\\name\nx', "", 500, 3],
      ["iris", "1", 404, 1],
      ["iris", "2", 400, 2],
    ];
    for (const [model, version, status, by] of calls) {
      reference.inc({ model, version, status: String(status) }, by);
      counter.inc([model, version, status], by);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
    expect(await ours.metrics()).toContain('t_requests_total{model="iris",version="1",status="200"} 2');
    expect(() => counter.inc(["iris", "1", 200], -1)).toThrow();
  });

  it("a histogram renders as prom-client's: cumulative buckets, +Inf, sum and count per series", async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const options = { name: "t_duration_seconds", help: "Time to answer", labelNames: ["surface", "route", "method"], buckets: BUCKETS };
    const reference = new Histogram({ ...options, registers: [theirs] });
    const histogram = new SeriesHistogram({ ...options, registers: [ours] });
    // Bounds themselves (a value equal to a bound is in its bucket), between them, past the last one, and zero.
    const values = [0, 0.002, 0.0021, 0.005, 0.3, 10, 11, 1e6, 0.0001, 2.5];
    values.forEach((seconds, i) => {
      const labels = i % 3 === 0 ? ["serving", "/v2/models/:model/infer", "POST"] : ["mlflow", "runs/log-batch", i % 2 ? "POST" : "GET"];
      reference.observe({ surface: labels[0]!, route: labels[1]!, method: labels[2]! }, seconds);
      histogram.observe(labels, seconds);
    });
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
    expect(await ours.metrics()).toContain('t_duration_seconds_bucket{le="+Inf",surface="serving",route="/v2/models/:model/infer",method="POST"} 4');
    expect(() => histogram.observe(["serving", "x", "GET"], Number.NaN)).toThrow();
  });

  it("reset empties every series, as prom-client's reset does", async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Counter({ name: "t_total", help: "h", labelNames: ["a"], registers: [theirs] });
    const counter = new SeriesCounter({ name: "t_total", help: "h", labelNames: ["a"], registers: [ours] });
    reference.inc({ a: "x" });
    counter.inc(["x"]);
    theirs.resetMetrics();
    ours.resetMetrics();
    reference.inc({ a: "y" });
    counter.inc(["y"]);
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});
