// The compare views rendered to HTML (no browser): what a reader gets for ordinary, empty and very large comparisons.
import { NextIntlClientProvider } from "next-intl";
import type { ReactNode } from "react";
import { renderToStaticMarkup as renderStatic } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Run } from "@/server/tracking/schema";
import { ParallelCoordinates } from "./parallel-coordinates";
import { ParamsDiff, WINDOWED_FROM_RUNS } from "./params-diff";
import { LEGEND_WINDOWED_FROM, RunLegend } from "./run-legend";
import { ScatterPlot } from "./scatter-plot";
import { formatDelta } from "./summary-table";
import { makeRun as makeAnyRun } from "@/lib/testing/make-run";
import { catalogues } from "@/messages";

/** The views as the studio renders them: inside the English message catalogue. */
function renderToStaticMarkup(node: ReactNode): string {
  return renderStatic(
    <NextIntlClientProvider locale="en" messages={catalogues.en} timeZone="UTC">
      {node}
    </NextIntlClientProvider>,
  );
}

/** Runs named "run <id>", as the assertions below read them. */
function makeRun(id: string, params: Record<string, string> = {}, metrics: Record<string, number> = {}): Run {
  return makeAnyRun(id, params, metrics, {}, `run ${id}`);
}

const count = (html: string, needle: string) => html.split(needle).length - 1;
const ignore = () => undefined;

const threeRuns = [
  makeRun("a", { lr: "0.1", seed: "1", opt: "adam", extra: "<b>x</b>" }, { acc: 0.8, loss: 0.5 }),
  makeRun("b", { lr: "0.01", seed: "1", opt: "adam" }, { acc: 0.9, loss: 0.4 }),
  makeRun("c", { lr: "0.1", seed: "1", opt: "adam" }, { loss: 0.6 }),
];

function manyRuns(n: number, params: number): Run[] {
  return Array.from({ length: n }, (_, i) =>
    makeRun(
      `r${i}`,
      Object.fromEntries(Array.from({ length: params }, (_, p) => [`p${p}`, String((i * (p + 1)) % 7)])),
      { acc: i / n },
    ),
  );
}

describe("ParamsDiff", () => {
  it("shows differing params as rows, highlights the odd cells and folds the equal ones", () => {
    const html = renderToStaticMarkup(<ParamsDiff runs={threeRuns} />);
    expect(html).toContain("2 params differ between the 3 runs");
    // extra: only run a logged it (the common value is "not logged"); lr: run b's 0.01 is the odd one.
    expect(count(html, "<mark")).toBe(2);
    expect(html).toContain("not logged");
    expect(html).toContain("2 params are equal in every run");
    expect(html).toContain("run a");
    // A param value is text, never markup.
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(html).not.toContain("<b>x</b>");
  });

  it("says so for no runs, runs without params, and a single run", () => {
    expect(renderToStaticMarkup(<ParamsDiff runs={[]} />)).toContain("No runs to compare");
    expect(renderToStaticMarkup(<ParamsDiff runs={[makeRun("a"), makeRun("b")]} />)).toContain("None of these runs logged any params");
    const single = renderToStaticMarkup(<ParamsDiff runs={[makeRun("a", { lr: "0.1" })]} />);
    expect(single).toContain("Only one run is selected");
    expect(single).toContain("1 param logged by this run");
  });

  it("draws a bounded number of cells for hundreds of runs and offers the rest", () => {
    // Every 7th param is 0 in every run (i·7 mod 7): 52 of the 60 differ, 8 are equal.
    const html = renderToStaticMarkup(<ParamsDiff runs={manyRuns(500, 60)} />);
    const [differingTable, foldedTable] = html.split("<details");
    // 500 runs: 20 rows of 500 cells (a 10,000-cell budget), the other 32 behind a button.
    expect(count(differingTable, '<th scope="row"')).toBe(20);
    expect(differingTable).toContain("Show 20 more of 32 hidden params");
    expect(count(foldedTable, '<th scope="row"')).toBe(8);
  });

  it("puts only a window of run columns in the page from 100 runs, numbered among all of them", () => {
    const html = renderToStaticMarkup(<ParamsDiff runs={manyRuns(500, 3)} />);
    const [differingTable] = html.split("<details");
    // The table tells assistive technology its whole size: the param column and 500 run columns.
    expect(differingTable).toContain('aria-colcount="501"');
    // A first screenful of run columns, the first run first, each numbered: not the 500.
    const headers = count(differingTable, '<th scope="col"') - 1;
    expect(headers).toBeGreaterThan(0);
    expect(headers).toBeLessThan(20);
    expect(differingTable).toMatch(/<th scope="col" aria-colindex="2"[^>]*>.*?run r0</);
    expect(differingTable).not.toContain("run r499");
    // Each of the three differing params' rows holds a cell under each run header, and one spacer for the rest.
    expect(differingTable).toContain('aria-rowcount="4"');
    expect(count(differingTable, "<td class")).toBe(headers * 3);
    expect(count(differingTable, '<td aria-hidden="true"')).toBe(4);
    // Under the threshold, every run has its column.
    const plain = renderToStaticMarkup(<ParamsDiff runs={manyRuns(WINDOWED_FROM_RUNS - 1, 3)} />);
    expect(plain).not.toContain("aria-colcount");
    expect(count(plain.split("<details")[0], '<th scope="col"')).toBe(WINDOWED_FROM_RUNS);
  });
});

describe("RunLegend", () => {
  const labels = (n: number) => Array.from({ length: n }, (_, i) => ({ runId: `r${i}`, name: `run ${i}`, color: "#123456" }));

  it("lists every run as a toggle under the threshold, and a window of them, placed in the whole list, above it", () => {
    const few = renderToStaticMarkup(<RunLegend labels={labels(LEGEND_WINDOWED_FROM - 1)} hidden={["r3"]} onChange={ignore} />);
    expect(count(few, "aria-pressed=")).toBe(LEGEND_WINDOWED_FROM - 1);
    expect(count(few, 'aria-pressed="false"')).toBe(1);
    expect(few).toContain("Show all");

    const many = renderToStaticMarkup(<RunLegend labels={labels(1000)} hidden={["r1"]} onChange={ignore} />);
    const buttons = count(many, "aria-pressed=");
    expect(buttons).toBeGreaterThan(0);
    expect(buttons).toBeLessThan(100);
    expect(many).toContain('aria-setsize="1000" aria-posinset="1"');
    expect(many).toContain("run 0");
    expect(many).not.toContain("run 999");
    // The hidden run's button says so, the others are pressed.
    expect(count(many, 'aria-pressed="false"')).toBe(1);
  });
});

describe("ScatterPlot", () => {
  it("offers labelled axis choices, defaults to first param against first metric and counts runs left out", () => {
    const html = renderToStaticMarkup(<ScatterPlot runs={threeRuns} x={null} y={null} onChange={ignore} />);
    expect(html).toMatch(/<label for="[^"]+">X axis<\/label>/);
    expect(html).toMatch(/<label for="[^"]+">Y axis<\/label>/);
    expect(html).toMatch(/<option value="params.extra" selected="">extra \(categories\)<\/option>/);
    expect(html).toMatch(/<option value="metrics.acc" selected="">acc<\/option>/);
    // Only run a logged "extra"; run c also lacks acc.
    expect(html).toContain("1 of 3 runs plotted");
    expect(html).toContain("2 runs lack a value for extra or acc and are left out");
  });

  it("keeps categorical params off the y axis and falls back when the URL names an unknown column", () => {
    const html = renderToStaticMarkup(<ScatterPlot runs={threeRuns} x="params.lr" y="params.opt" onChange={ignore} />);
    const ySelect = html.slice(html.indexOf(">Y axis<"));
    expect(ySelect).not.toContain('value="params.opt"');
    expect(html).toContain("2 of 3 runs plotted");
    expect(html).toContain("1 run lacks a value for lr or acc and is left out");
  });

  it("says what to do when there is nothing to plot", () => {
    expect(renderToStaticMarkup(<ScatterPlot runs={[]} x={null} y={null} onChange={ignore} />)).toContain("No runs to compare");
    expect(renderToStaticMarkup(<ScatterPlot runs={[makeRun("a")]} x={null} y={null} onChange={ignore} />)).toContain("no params or metrics");
    expect(renderToStaticMarkup(<ScatterPlot runs={[makeRun("a", { opt: "adam" })]} x={null} y={null} onChange={ignore} />)).toContain("no numeric param or metric");
  });
});

describe("ParallelCoordinates", () => {
  it("defaults to the differing params and the first metric, one line per run, with a caption", () => {
    const html = renderToStaticMarkup(<ParallelCoordinates runs={threeRuns} axes={[]} metric={null} onChange={ignore} />);
    expect(html).toMatch(/<input type="checkbox" checked=""[^>]*\/><span>extra<\/span>/);
    expect(html).toMatch(/<input type="checkbox" checked=""[^>]*\/><span>lr<\/span>/);
    expect(html).toMatch(/<input type="checkbox"\/><span>opt<\/span><span[^>]*>same in all<\/span>/);
    expect(html).toMatch(/<option value="metrics.acc" selected="">acc<\/option>/);
    expect(html).toContain("Parallel coordinates of 3 of 3 runs across 2 params (extra, lr) to acc.");
    expect(html).toContain("Highest acc: run b (0.9); lowest: run a (0.8).");
    expect(html).toContain("1 run lacks acc and is drawn dashed in grey.");
    expect(count(html, "<path")).toBe(3);
  });

  it("follows the chosen axes and metric, and ignores ids the runs lack", () => {
    const html = renderToStaticMarkup(
      <ParallelCoordinates runs={threeRuns} axes={["params.opt", "params.gone"]} metric="metrics.loss" onChange={ignore} />,
    );
    expect(html).toContain("across 1 param (opt) to loss.");
    // The only chosen param cannot be unticked.
    expect(html).toMatch(/<input type="checkbox"(?=[^>]* checked="")(?=[^>]* disabled="")[^>]*\/><span>opt<\/span>/);
    expect(html).toMatch(/<input type="checkbox"\/><span>lr<\/span>/);
  });

  it("draws the pinned baseline on top with a halo, says so, and gives the others' differences from it", () => {
    const html = renderToStaticMarkup(<ParallelCoordinates runs={threeRuns} axes={["params.lr"]} metric="metrics.acc" baseline="b" onChange={ignore} />);
    // Three run lines, then the baseline again above them: its halo and its own line.
    expect(count(html, "<path")).toBe(5);
    expect(html).toMatch(/<g data-testid="parallel-baseline-line" data-run-id="b"><path class="[^"]*baselineHalo[^"]*" d="[^"]+"><\/path><path class="[^"]*baselineLine[^"]*" d="[^"]+" stroke="[^"]+"/);
    expect(html).toContain("Baseline: run b, drawn thick with a halo");
    expect(html).toContain("The baseline run run b is drawn thick with a halo, on top of the others; its acc is 0.9.");
    // No baseline, or one not among these runs: nothing extra is drawn or said.
    for (const baseline of [null, "gone"]) {
      const plain = renderToStaticMarkup(<ParallelCoordinates runs={threeRuns} axes={["params.lr"]} metric="metrics.acc" baseline={baseline} onChange={ignore} />);
      expect(count(plain, "<path")).toBe(3);
      expect(plain).not.toContain("baseline");
    }
  });

  it("draws 500 runs as 500 paths", () => {
    const runs = manyRuns(500, 6);
    const html = renderToStaticMarkup(<ParallelCoordinates runs={runs} axes={[]} metric={null} onChange={ignore} />);
    expect(count(html, "<path")).toBe(500);
    expect(html).toContain("Parallel coordinates of 500 of 500 runs across 4 params (p0, p1, p2, p3) to acc.");
  });

  it("handles empty runs, a run without metrics and a run without params", () => {
    expect(renderToStaticMarkup(<ParallelCoordinates runs={[]} axes={[]} metric={null} onChange={ignore} />)).toContain("No runs to compare");
    expect(renderToStaticMarkup(<ParallelCoordinates runs={[makeRun("a")]} axes={[]} metric={null} onChange={ignore} />)).toContain(
      "nothing to draw",
    );
    const paramsOnly = renderToStaticMarkup(<ParallelCoordinates runs={[makeRun("a", { lr: "1", opt: "adam" })]} axes={[]} metric={null} onChange={ignore} />);
    expect(paramsOnly).toContain("Lines take each run&#x27;s colour.");
    expect(count(paramsOnly, "<path")).toBe(1);
    const metricsOnly = renderToStaticMarkup(<ParallelCoordinates runs={[makeRun("a", {}, { acc: 1 })]} axes={[]} metric={null} onChange={ignore} />);
    expect(metricsOnly).toContain("only the metric is drawn");
    expect(count(metricsOnly, "<path")).toBe(1);
  });
});

describe("formatDelta", () => {
  it("writes the difference to the baseline as before in English, with a decimal comma and a spaced percent sign in French", () => {
    expect(formatDelta(0.3, 0.25)).toBe("+0.05 (+20%)");
    expect(formatDelta(0.2, 0.25, "fr")).toBe("−0,05 (−20\u202f%)");
    expect(formatDelta(1.5, 1.5, "fr")).toBe("±0 (±0\u202f%)");
  });
});

describe("the compare views' captions and differences in French", () => {
  const renderFrench = (node: ReactNode) =>
    renderStatic(
      <NextIntlClientProvider locale="fr" messages={catalogues.fr} timeZone="UTC">
        {node}
      </NextIntlClientProvider>,
    );
  /** The figcaption's text, tags removed (React writes the apostrophe of n’a as is). */
  const caption = (html: string) => (/<figcaption[^>]*>(.*?)<\/figcaption>/s.exec(html)?.[1] ?? "").replace(/<[^>]+>/g, "");

  it("says the scatter plot's caption in French, with non-breaking spaces before the colon", () => {
    expect(caption(renderFrench(<ScatterPlot runs={threeRuns} x={null} y={null} onChange={ignore} />))).toBe(
      "acc (métrique) en fonction de extra (paramètre, 1 catégorie)\u00a0: 1 exécution placée sur 3. 2 exécutions n’ont pas de valeur pour extra ou acc et sont laissées de côté.",
    );
  });

  it("says the parallel coordinates' caption in French, values with a decimal comma", () => {
    const text = caption(renderFrench(<ParallelCoordinates runs={threeRuns} axes={[]} metric={null} onChange={ignore} baseline="b" />));
    expect(text).toContain("Coordonnées parallèles de 3 exécutions sur 3, selon 2 paramètres (extra, lr), jusqu’à acc.");
    expect(text).toContain("acc la plus haute\u00a0: run b (0,9)\u00a0; la plus basse\u00a0: run a (0,8).");
    expect(text).toContain("1 exécution n’a pas de acc et est tracée en pointillés gris.");
    expect(text).toContain("sa valeur de acc est 0,9.");
  });

  it("writes a difference from the baseline the French way", () => {
    expect(formatDelta(0.2, 0.25, "fr")).toBe("−0,05 (−20\u202f%)");
  });
});
