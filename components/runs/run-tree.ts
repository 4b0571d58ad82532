// The runs table as a tree of nested runs: which rows show, in which order and how deep, and how a tick
// (or a shift-click over a range of rows) changes the selection. Pure, so the table only renders.
import type { Run } from "@/server/tracking/schema";

export const PARENT_RUN_TAG = "mlflow.parentRunId";

export interface RunRow {
  run: Run;
  /** 0 for a top-level run, 1 for its children, … */
  depth: number;
  /** Nested runs under this one (active, in the shown experiments); 0 when it has none. */
  childCount: number;
  /** The parent's run id when the run is nested (from its mlflow.parentRunId tag), else null. */
  parentId: string | null;
}

export function parentRunIdOf(run: Run): string | null {
  return run.data.tags.find((tag) => tag.key === PARENT_RUN_TAG)?.value ?? null;
}

/**
 * Top-level runs in their order, each followed (when expanded) by its loaded children, recursively. A run seen
 * twice (a child also matched at the top) is shown once, where it came first, so a cycle in the tags cannot loop.
 */
export function flattenRunTree(
  topLevel: readonly Run[],
  childCounts: Readonly<Record<string, number>>,
  expanded: ReadonlySet<string>,
  childrenOf: (runId: string) => readonly Run[] | undefined,
): RunRow[] {
  const rows: RunRow[] = [];
  const seen = new Set<string>();
  const visit = (run: Run, depth: number) => {
    const id = run.info.run_id;
    if (seen.has(id)) return;
    seen.add(id);
    rows.push({ run, depth, childCount: childCounts[id] ?? 0, parentId: parentRunIdOf(run) });
    if (!expanded.has(id)) return;
    for (const child of childrenOf(id) ?? []) visit(child, depth + 1);
  };
  for (const run of topLevel) visit(run, 0);
  return rows;
}

/**
 * The selection after ticking (or unticking) `runId`. With shift held and an earlier click as anchor, every row
 * from the anchor to `runId` (in the order shown) takes the clicked box's new state, as in a file manager.
 */
export function toggleRunSelection(
  selected: readonly string[],
  runId: string,
  checked: boolean,
  range: { anchor: string | null; order: readonly string[] } | null,
): string[] {
  let ids = [runId];
  if (range && range.anchor !== null && range.anchor !== runId) {
    const from = range.order.indexOf(range.anchor);
    const to = range.order.indexOf(runId);
    if (from >= 0 && to >= 0) ids = range.order.slice(Math.min(from, to), Math.max(from, to) + 1);
  }
  if (!checked) {
    const dropped = new Set(ids);
    return selected.filter((id) => !dropped.has(id));
  }
  const have = new Set(selected);
  return [...selected, ...ids.filter((id) => !have.has(id))];
}
