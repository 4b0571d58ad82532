// The runs table grouped by a param or tag: the key kept in the link ("params.lr"), the schema of a group the
// server sends (its runs and each metric's mean and min–max), the groups' order, and the rows the table shows.
import { z } from "zod";

export const zGroupKey = z.object({
  kind: z.enum(["param", "tag"]),
  key: z.string().min(1, "Name the param or tag to group by").max(250, "A key can be at most 250 characters"),
});
export type GroupKey = z.infer<typeof zGroupKey>;

/** One group of the table: the runs whose key has `value` (null: runs without the key, the "(none)" group). */
export const zGroupMember = zGroupKey.extend({ value: z.string().max(6000, "A value can be at most 6,000 characters").nullable() });
export type GroupMember = z.infer<typeof zGroupMember>;

export const zMetricAggregate = z.object({
  mean: z.number(),
  min: z.number(),
  max: z.number(),
  /** Runs of the group with a finite value of the metric. */
  count: z.number().int(),
});
export type MetricAggregate = z.infer<typeof zMetricAggregate>;

export const zRunGroup = z.object({
  value: z.string().nullable(),
  runCount: z.number().int(),
  /** Every run of the group, newest first: a tick on the group's box ticks them all, loaded or not. */
  runIds: z.array(z.string()),
  metrics: z.record(z.string(), zMetricAggregate),
});
export type RunGroup = z.infer<typeof zRunGroup>;

const PREFIX = { param: "params", tag: "tags" } as const;

/** "params.lr" / "tags.team": the link's `group` value. */
export function groupParam(key: GroupKey): string {
  return `${PREFIX[key.kind]}.${key.key}`;
}

/** The link's `group`, or null when it names no param or tag (the table is then not grouped). */
export function parseGroupParam(value: string | null | undefined): GroupKey | null {
  if (!value) return null;
  const dot = value.indexOf(".");
  const prefix = value.slice(0, dot);
  const key = value.slice(dot + 1);
  const kind = prefix === "params" ? "param" : prefix === "tags" ? "tag" : null;
  if (dot <= 0 || !kind) return null;
  const parsed = zGroupKey.safeParse({ kind, key });
  return parsed.success ? parsed.data : null;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * The order groups are shown in: by value, as numbers when every value is one (lr 0.001 < 0.01 < 0.1, and 2 < 10),
 * else by code point; the "(none)" group last.
 */
export function orderGroups<T extends { value: string | null }>(groups: readonly T[]): T[] {
  const valued = groups.filter((g) => g.value !== null);
  const numeric = valued.length > 0 && valued.every((g) => NUMBER.test(g.value!.trim()));
  const sorted = [...valued].sort((a, b) => {
    if (numeric) {
      const diff = Number(a.value) - Number(b.value);
      if (diff !== 0) return diff;
    }
    return a.value! < b.value! ? -1 : a.value! > b.value! ? 1 : 0;
  });
  return [...sorted, ...groups.filter((g) => g.value === null)];
}

/** How much of a group is ticked: its box shows checked, mixed or empty. */
export function groupSelectionState(runIds: readonly string[], selected: ReadonlySet<string>): "all" | "some" | "none" {
  let ticked = 0;
  for (const id of runIds) if (selected.has(id)) ticked++;
  return ticked === 0 ? "none" : ticked === runIds.length ? "all" : "some";
}

/** The selection after ticking (or unticking) a whole group: its runs join (or leave) it, the rest stay as they were. */
export function toggleGroupSelection(selected: readonly string[], runIds: readonly string[], checked: boolean): string[] {
  if (checked) return [...new Set([...selected, ...runIds])];
  const leaving = new Set(runIds);
  return selected.filter((id) => !leaving.has(id));
}

export type GroupedRow<R> =
  | { type: "group"; group: RunGroup }
  | { type: "run"; row: R; groupValue: string | null }
  /** The group holds more runs than were loaded under it. */
  | { type: "more"; groupValue: string | null; shown: number; total: number };

/** Each group's header, followed (when it is expanded and its runs have arrived) by its runs. */
export function flattenGroups<R>(
  groups: readonly RunGroup[],
  expanded: ReadonlySet<string | null>,
  runsOf: (value: string | null) => readonly R[] | undefined,
): GroupedRow<R>[] {
  const rows: GroupedRow<R>[] = [];
  for (const group of groups) {
    rows.push({ type: "group", group });
    if (!expanded.has(group.value)) continue;
    const runs = runsOf(group.value);
    if (!runs) continue;
    for (const row of runs) rows.push({ type: "run", row, groupValue: group.value });
    if (runs.length < group.runCount) rows.push({ type: "more", groupValue: group.value, shown: runs.length, total: group.runCount });
  }
  return rows;
}
