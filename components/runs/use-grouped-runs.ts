"use client";
// The runs table grouped by a param or tag: the key from the link, the groups with their figures (one request),
// which groups are open (local, closed again for each new key) and the runs of each open group, as table rows.
import { useQueries, useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { flattenGroups, parseGroupParam, type GroupedRow } from "@/lib/run-groups";
import { parentRunIdOf, type RunRow } from "./run-tree";

/** Runs listed under one open group (its header still counts and ticks all of them). */
const GROUP_PAGE_SIZE = 1000;

export function useGroupedRuns({
  experimentIds,
  filter,
  orderBy,
  columns,
  groupParam,
  enabled,
}: {
  experimentIds: string[];
  filter: string;
  orderBy: string[] | undefined;
  columns: { metrics: string[]; params: string[]; tags: string[] };
  /** The link's `group` ("params.lr"), or null. */
  groupParam: string | null;
  enabled: boolean;
}) {
  const trpc = useTRPC();
  const groupKey = useMemo(() => parseGroupParam(groupParam), [groupParam]);
  const [openGroups, setOpenGroups] = useState<{ of: string | null; open: ReadonlySet<string | null> }>({ of: groupParam, open: new Set() });
  if (openGroups.of !== groupParam) setOpenGroups({ of: groupParam, open: new Set() });
  const toggleGroup = useCallback(
    (value: string | null) =>
      setOpenGroups((current) => {
        const open = new Set(current.open);
        if (!open.delete(value)) open.add(value);
        return { ...current, open };
      }),
    [],
  );

  const groups = useQuery({
    ...trpc.tracking.runGroups.queryOptions({
      experiment_ids: experimentIds,
      filter: filter || undefined,
      group_by: groupKey ?? { kind: "param", key: "-" },
      metrics: columns.metrics,
    }),
    enabled: enabled && groupKey !== null,
    // A bad filter will not get better by asking again.
    retry: false,
  });
  const openValues = groupKey ? [...openGroups.open] : [];
  const groupRuns = useQueries({
    queries: openValues.map((value) =>
      trpc.tracking.runsTable.queryOptions({
        experiment_ids: experimentIds,
        filter: filter || undefined,
        order_by: orderBy,
        max_results: GROUP_PAGE_SIZE,
        columns,
        nesting: "all",
        group: { ...groupKey!, value },
      }),
    ),
  });
  const runsOfGroup = new Map<string | null, RunRow[]>();
  openValues.forEach((value, i) => {
    const data = groupRuns[i].data;
    if (data) runsOfGroup.set(value, data.runs.map((run) => ({ run, depth: 1, childCount: 0, parentId: parentRunIdOf(run) })));
  });
  const list = groups.data?.groups ?? [];
  const rows: GroupedRow<RunRow>[] = groupKey ? flattenGroups(list, openGroups.open, (value) => runsOfGroup.get(value)) : [];
  const runIds = useMemo(() => groups.data?.groups.flatMap((group) => group.runIds), [groups.data]);
  return { groupKey, groups: list, rows, runIds, open: openGroups.open, toggleGroup, error: groups.error, isPending: groups.isPending };
}
