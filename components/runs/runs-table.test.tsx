// The runs table's markup: column groups, the Experiment column, nested rows, group header rows and pin / resize controls.
import { NextIntlClientProvider } from "next-intl";
import { renderToStaticMarkup } from "react-dom/server";
import type { RunGroup } from "@/lib/run-groups";
import { catalogues } from "@/messages";
import { describe, expect, it } from "vitest";
import { makeRun } from "@/lib/testing/make-run";
import { parseOrderParam } from "./run-columns";
import { flattenRunTree } from "./run-tree";
import { RunsTable, type RunsTableProps } from "./runs-table";

const sweep = makeRun("sweep", { lr: "0.1" }, { acc: 0.5 }, {}, "sweep");
const trial = makeRun("trial", { lr: "0.01" }, { acc: 0.9 }, { "mlflow.parentRunId": "sweep" }, "trial");

function render(overrides: Partial<RunsTableProps>): string {
  const props: RunsTableProps = {
    rows: flattenRunTree([sweep], { sweep: 1 }, new Set(["sweep"]), () => [trial]).map((row) => ({ type: "run", row, groupValue: null })),
    groupKey: null,
    expandedGroups: new Set(),
    onExpandGroup: () => {},
    onSelectGroup: () => {},
    columns: [
      { kind: "param", key: "lr" },
      { kind: "metric", key: "acc" },
    ],
    layout: { widths: {}, pinned: [] },
    onLayout: () => {},
    onTogglePin: () => {},
    experimentNames: null,
    order: parseOrderParam(null),
    onSort: () => {},
    selected: ["trial"],
    onToggle: () => {},
    onSelectAll: () => {},
    expanded: new Set(["sweep"]),
    onExpand: () => {},
    onNearEnd: () => {},
    ...overrides,
  };
  return renderToStaticMarkup(
    <NextIntlClientProvider locale="en" messages={catalogues.en} timeZone="UTC">
      <RunsTable {...props} />
    </NextIntlClientProvider>,
  );
}

describe("RunsTable", () => {
  it("groups columns under Run, Metrics and Params headers, metrics first", () => {
    const html = render({});
    const groups = [...html.matchAll(/scope="colgroup"[^>]*>([^<]+)</g)].map((m) => m[1]);
    expect(groups).toEqual(["Run", "Metrics", "Params"]);
    expect(html.indexOf("Resize acc")).toBeLessThan(html.indexOf("Resize lr"));
    expect(html).not.toContain(">Experiment<");
  });

  it("shows a parent's count and its expanded child one level in, ticked as selected", () => {
    const html = render({});
    expect(html).toContain('aria-label="Hide 1 nested run of sweep"');
    expect(html).toMatch(/<tr[^>]*aria-selected="true"[^>]*data-depth="1"/);
    expect(html).toMatch(/<tr[^>]*aria-selected="false"[^>]*data-depth="0"/);
  });

  it("adds the Experiment column, with each run's experiment name, when several experiments are shown", () => {
    const html = render({ experimentNames: new Map([["1", "Churn"]]) });
    expect(html).toContain(">Experiment<");
    expect(html).toContain('href="/experiments/1">Churn</a>');
  });

  it("puts a pinned column beside the name, sticky, at its stored width", () => {
    const html = render({ layout: { widths: { "params.lr": 222, name: 300 }, pinned: ["params.lr"] } });
    expect(html).toContain(">Pinned<");
    expect(html).toMatch(/aria-label="Pin lr" checked=""/);
    expect(html).toContain('<col style="width:222px"/>');
    // Sticky at the selection column's width plus the name column's.
    expect(html).toMatch(/style="left:340px"[^>]*title="lr"|title="lr"[^>]*style="left:340px"/);
  });

  it("shows a group's header with its value, run count, a box for all its runs and each metric's mean and min–max", () => {
    const groups: RunGroup[] = [
      { value: "0.1", runCount: 2, runIds: ["sweep", "trial"], metrics: { acc: { mean: 0.7, min: 0.5, max: 0.9, count: 2 } } },
      { value: null, runCount: 1, runIds: ["other"], metrics: {} },
    ];
    const html = render({
      groupKey: { kind: "param", key: "lr" },
      expandedGroups: new Set(["0.1"]),
      rows: [
        { type: "group", group: groups[0] },
        { type: "run", row: { run: sweep, depth: 1, childCount: 0, parentId: null }, groupValue: "0.1" },
        { type: "more", groupValue: "0.1", shown: 1, total: 2 },
        { type: "group", group: groups[1] },
      ],
      selected: ["trial"],
    });
    expect(html).toContain('aria-label="Hide the 2 runs of lr = 0.1"');
    expect(html).toContain('aria-label="Show the 1 run of lr = (none)"');
    expect(html).toContain(">2 runs<");
    expect(html).toContain('aria-label="Select every run of lr = 0.1"');
    expect(html).toMatch(/title="acc over 2 of 2 runs of lr = 0.1: mean 0.7, min 0.5, max 0.9"[^>]*>0.7<span[^>]*> 0.5–0.9<\/span>/);
    expect(html).toContain("1 of 2 runs of lr = 0.1 shown here");
  });
});
