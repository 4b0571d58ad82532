"use client";
// The experiment page: runs table with MLflow's filter grammar, sort and chosen columns on the server;
// nested runs under their parents, or runs grouped by a param or tag; windowed rows that load more as you
// scroll; selection for the compare view; CSV export of the view.
import { useInfiniteQuery, useQueries, useQuery } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from "react";
import { useTRPC, useTRPCClient } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { useErrorText } from "@/components/ui/use-error-text";
import styles from "@/components/ui/ui.module.css";
import { useUrlState } from "@/components/ui/use-url-state";
import type { FilterKeys } from "@/lib/filter-completion";
import { decodeUrlList, encodeUrlList } from "@/lib/url-list";
import type { Run } from "@/server/tracking/schema";
import { CompareLink } from "@/components/compare/compare-link";
import { ColumnChooser } from "./column-chooser";
import { FilterEditor } from "./filter-editor";
import {
  columnId,
  columnSelection,
  columnsParam,
  defaultColumns,
  nextOrder,
  parseColumnsParam,
  parseOrderParam,
  type KeyColumn,
} from "./run-columns";
import { layoutStorageKey, readStoredLayout, storeLayout, togglePinned, type TableLayout, EMPTY_LAYOUT } from "./run-table-layout";
import { flattenRunTree, PARENT_RUN_TAG } from "./run-tree";
import { RunsTable, type TableRow } from "./runs-table";
import { GroupByControl } from "./group-by-control";
import { groupParam, toggleGroupSelection } from "@/lib/run-groups";
import { useGroupedRuns } from "./use-grouped-runs";
import tableStyles from "./runs-table.module.css";
import { replaceQueryParams, useRunSelection } from "./use-run-selection";
import { hasViewQuery, VIEW_QUERY_KEYS, viewQueryOf } from "@/lib/saved-view-state";
import type { SavedView } from "@/server/tracking/saved-views";
import { SavedViewsMenu } from "./saved-views-menu";
import { useBrowserOrigin } from "@/components/ui/use-browser-origin";
import { mlflowQuickstartSnippet } from "@/lib/mlflow-snippet";

const PAGE_SIZE = 100;
/** Nested runs loaded under one expanded parent (a sweep of more is rare; the table says when some are left out). */
const CHILDREN_PAGE_SIZE = 1000;
const NO_FILTER_KEYS: FilterKeys = { metrics: [], params: [], tags: [] };
const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

function expandedOf(open: string | null | undefined): Set<string> {
  return new Set(decodeUrlList(open).filter((id) => RUN_ID.test(id)));
}

/** Puts a saved view's settings in the link (`view` names it), keeping what is not the view's, such as ticked runs. */
function writeViewToUrl(view: SavedView, history: "push" | "replace"): void {
  const next = new URLSearchParams(window.location.search);
  for (const key of VIEW_QUERY_KEYS.runs) next.delete(key);
  for (const [key, value] of Object.entries(view.state.query)) if (value) next.set(key, value);
  next.set("view", String(view.viewId));
  const url = `${window.location.pathname}?${next.toString()}`;
  if (history === "push") window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}

export function RunsView({ experimentIds }: { experimentIds: string[] }) {
  const experimentId = experimentIds[0];
  const several = experimentIds.length > 1;
  const trpc = useTRPC();
  const client = useTRPCClient();
  const tGroups = useTranslations("runsTable.groups");
  const errorText = useErrorText();
  const { params, update } = useUrlState();
  const filter = params.get("filter") ?? "";
  const orderParam = params.get("order");
  const order = parseOrderParam(orderParam);
  const [draft, setDraft] = useState(filter);
  const [shownFilter, setShownFilter] = useState(filter);
  // Back/forward or a shared link changes the URL under the box: the box follows it.
  if (shownFilter !== filter) {
    setShownFilter(filter);
    setDraft(filter);
  }

  const experiments = useQueries({ queries: experimentIds.map((id) => trpc.tracking.experiment.queryOptions({ experimentId: id })) });
  const experiment = experiments[0];
  const origin = useBrowserOrigin();
  const keys = useQuery(trpc.tracking.runKeys.queryOptions({ experimentIds }));
  const colsParam = params.get("cols");
  const columnsChosen = Boolean(colsParam);
  const columns = useMemo(() => parseColumnsParam(colsParam) ?? (keys.data ? defaultColumns(keys.data) : []), [colsParam, keys.data]);
  const selection = useRunSelection(experimentId);
  const { selected, setSelected } = selection;

  // Expanded parents: local state (a click shows at once), mirrored to the link as `open`.
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => expandedOf(params.get("open")));
  // The link is rewritten here, not in a state updater: React may run updaters while rendering, and the router
  // must not be updated during another component's render.
  const toggleExpanded = useCallback(
    (runId: string) => {
      const next = new Set(expanded);
      if (!next.delete(runId)) next.add(runId);
      setExpanded(next);
      replaceQueryParams({ open: next.size ? encodeUrlList([...next]) : null });
    },
    [expanded],
  );

  const selectGroup = useCallback((runIds: readonly string[], checked: boolean) => setSelected((current) => toggleGroupSelection(current, runIds, checked)), [setSelected]);

  // Pinned columns and widths, kept per experiment (or set of experiments) in this browser.
  const storageKey = layoutStorageKey(experimentIds);
  // The table only renders once runs arrive in the browser, so reading storage here cannot mismatch the server's HTML.
  const [layoutOf, setLayoutOf] = useState(() => ({ storageKey, layout: typeof window === "undefined" ? EMPTY_LAYOUT : readStoredLayout(storageKey) }));
  if (layoutOf.storageKey !== storageKey) setLayoutOf({ storageKey, layout: readStoredLayout(storageKey) });
  const layout = layoutOf.layout;
  const setLayout = useCallback(
    (next: TableLayout) => {
      setLayoutOf({ storageKey, layout: next });
      storeLayout(storageKey, next);
    },
    [storageKey],
  );
  const togglePin = useCallback((id: string) => setLayout(togglePinned(layout, id)), [layout, setLayout]);

  // The experiment's default view applies when its link carries no view of its own; the runs wait for it.
  const [startedWithView] = useState(() => several || hasViewQuery("runs", params) || params.has("view"));
  const savedViews = useQuery({ ...trpc.tracking.savedViews.queryOptions({ experimentId, kind: "runs" }), enabled: !startedWithView });
  const defaultView = startedWithView ? null : (savedViews.data?.find((view) => view.isDefault) ?? null);
  const [openedWith, setOpenedWith] = useState<SavedView | null>(null);
  const [defaultLanded, setDefaultLanded] = useState(false);
  if (defaultView && !openedWith) {
    setOpenedWith(defaultView);
    setExpanded(expandedOf(defaultView.state.query.open));
    if ("layout" in defaultView.state && defaultView.state.layout) setLayoutOf({ storageKey, layout: defaultView.state.layout });
  }
  if (openedWith && !defaultLanded && params.get("view") === String(openedWith.viewId)) setDefaultLanded(true);
  useEffect(() => {
    if (openedWith) writeViewToUrl(openedWith, "replace");
  }, [openedWith]);
  const waitingForDefault = !startedWithView && (savedViews.isPending || (openedWith !== null && !defaultLanded));
  const applyView = (view: SavedView) => {
    setExpanded(expandedOf(view.state.query.open));
    if ("layout" in view.state && view.state.layout) setLayout(view.state.layout);
    writeViewToUrl(view, "push");
  };
  const currentViewState = () => ({ query: viewQueryOf("runs", new URLSearchParams(window.location.search)), layout });

  // Without a filter the table is a tree: top-level runs, each parent's children loaded when it is expanded.
  // A filter lists every matching run flat, nested ones included.
  const nested = !filter;
  const order_by = orderParam ? [orderParam] : undefined;
  const selectionOfColumns = columnSelection(columns);
  const input = {
    experiment_ids: experimentIds,
    filter: filter || undefined,
    order_by,
    max_results: PAGE_SIZE,
    columns: selectionOfColumns,
    nesting: nested ? ("top-level" as const) : ("all" as const),
  };
  // Defaults wait for the key list, so the first page is not fetched twice.
  const ready = (columnsChosen || keys.isFetched) && !waitingForDefault;
  const grouped = useGroupedRuns({ experimentIds, filter, orderBy: order_by, columns: selectionOfColumns, groupParam: params.get("group"), enabled: ready });
  const groupKey = grouped.groupKey;
  const runs = useInfiniteQuery({
    queryKey: [...trpc.tracking.runsTable.queryKey(input), "pages"],
    queryFn: ({ pageParam }) => client.tracking.runsTable.query({ ...input, page_token: pageParam }),
    enabled: ready && groupKey === null,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_page_token,
    // A bad filter will not get better by asking again.
    retry: false,
  });
  const allRuns = useMemo(() => runs.data?.pages.flatMap((page) => page.runs) ?? [], [runs.data]);
  const openParents = nested ? [...expanded] : [];
  const children = useQueries({
    queries: openParents.map((parentId) =>
      trpc.tracking.runsTable.queryOptions({
        experiment_ids: experimentIds,
        filter: `tags.\`${PARENT_RUN_TAG}\` = '${parentId}'`,
        order_by,
        max_results: CHILDREN_PAGE_SIZE,
        columns: selectionOfColumns,
        nesting: "all",
      }),
    ),
  });
  const childRuns = new Map<string, Run[]>();
  const childCounts: Record<string, number> = {};
  for (const page of runs.data?.pages ?? []) Object.assign(childCounts, page.child_counts);
  openParents.forEach((parentId, i) => {
    const data = children[i].data;
    if (!data) return;
    childRuns.set(parentId, data.runs);
    Object.assign(childCounts, data.child_counts);
  });
  const rows: TableRow[] = groupKey
    ? grouped.rows
    : flattenRunTree(allRuns, childCounts, nested ? expanded : new Set(), (id) => childRuns.get(id)).map((row) => ({ type: "run" as const, row, groupValue: null }));
  const listError = groupKey ? grouped.error : runs.error;
  // A refused filter is said in the reader's language (the parser's sentence), as the box's own check says it.
  const listErrorText = listError ? errorText(listError) : undefined;
  const listPending = groupKey ? grouped.isPending : runs.isPending;
  const listEmpty = groupKey ? grouped.groups.length === 0 : allRuns.length === 0;
  const experimentNames = several ? new Map(experimentIds.map((id, i) => [id, experiments[i].data?.name ?? `experiment ${id}`])) : null;

  function applyFilter(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    update({ filter: draft.trim() }, "push");
  }

  const filterErrorId = "run-filter-error";
  return (
    <>
      <p className={styles.breadcrumb}>
        <Link href="/experiments">Experiments</Link> /
      </p>
      {several ? (
        <>
          <h1>Runs of {experimentIds.length} experiments</h1>
          <p className={styles.muted}>
            {experiments.map((e, i) => (
              <span key={experimentIds[i]}>
                {i ? ", " : ""}
                <Link href={`/experiments/${experimentIds[i]}`}>{e.data?.name ?? `experiment ${experimentIds[i]}`}</Link>
              </span>
            ))}
          </p>
        </>
      ) : (
        <h1>{experiment.data?.name ?? (experiment.error ? "Experiment" : "Loading…")}</h1>
      )}
      {experiments.map((e, i) => (e.error ? <QueryError key={experimentIds[i]} error={e.error} /> : null))}
      <form className={styles.panel} onSubmit={applyFilter} role="search" aria-label="Filter runs">
        <div className={styles.toolbarFlush}>
          <div className={`${styles.field} ${styles.grow}`}>
            <label htmlFor="run-filter">Filter (MLflow syntax)</label>
            <FilterEditor
              id="run-filter"
              ariaLabel="Filter (MLflow syntax)"
              value={draft}
              onChange={setDraft}
              onSubmit={(text) => update({ filter: text.trim() }, "push")}
              keys={keys.data ?? NO_FILTER_KEYS}
              error={listErrorText}
              placeholder="metrics.accuracy > 0.9 and params.lr = '0.01'"
              describedBy={listError ? filterErrorId : "run-filter-help"}
            />
          </div>
          <button type="submit" className={styles.button}>
            Apply
          </button>
          {filter ? (
            <button type="button" className={styles.secondary} onClick={() => update({ filter: null }, "push")}>
              Clear filter
            </button>
          ) : null}
        </div>
        {listError ? (
          <p id={filterErrorId} className={styles.error} role="alert">
            {listErrorText}
          </p>
        ) : (
          <p id="run-filter-help" className={styles.muted}>
            Press Enter to apply. Combine conditions with <code>and</code>; quote text values: <code>params.model = &apos;rf&apos;</code>.
          </p>
        )}
      </form>
      <RunsToolbar
        experimentId={experimentId}
        viewsMenu={several ? null : <SavedViewsMenu experimentId={experimentId} kind="runs" currentState={currentViewState} onApply={applyView} />}
        groupControl={<GroupByControl keys={keys.data} value={groupKey} onChange={(key) => update({ group: key ? groupParam(key) : null }, "push")} />}
        keys={keys.data}
        columns={columns}
        onColumns={(next) => update({ cols: columnsParam(next) }, "push")}
        onResetColumns={() => update({ cols: null }, "push")}
        selected={selected}
        selectionError={selection.error}
        onClearSelection={() => setSelected([])}
        onCompare={selection.leave}
        exportHref={`/api/runs/export?${new URLSearchParams({
          experiment_ids: experimentIds.join(","),
          ...(filter ? { filter } : {}),
          ...(orderParam ? { order: orderParam } : {}),
          cols: encodeUrlList(columns.map(columnId)),
        }).toString()}`}
      />
      {listError ? null : listPending ? (
        <p role="status">{groupKey ? tGroups("loading") : "Loading runs…"}</p>
      ) : listEmpty ? (
        <section className={styles.panel} aria-label="No runs">
          {filter ? (
            <p>No run matches this filter. Loosen it or clear it to see every run.</p>
          ) : (
            <>
              <p>No runs in this experiment yet. Log one from your training script:</p>
              <code className={styles.snippet}>
                {mlflowQuickstartSnippet(origin ?? "<this studio's address>", experiment.data?.name ?? "my experiment")}
              </code>
            </>
          )}
        </section>
      ) : (
        <>
          <RunsTable
            rows={rows}
            groupKey={groupKey}
            expandedGroups={grouped.open}
            onExpandGroup={grouped.toggleGroup}
            onSelectGroup={selectGroup}
            selectableIds={groupKey ? grouped.runIds : undefined}
            columns={columns}
            layout={layout}
            onLayout={setLayout}
            onTogglePin={togglePin}
            experimentNames={experimentNames}
            order={order}
            onSort={(column) => update({ order: nextOrder(order, column) }, "push")}
            selected={selected}
            onToggle={selection.toggle}
            onSelectAll={(checked, ids) => {
              const shown = new Set(ids);
              setSelected(checked ? [...new Set([...selected, ...ids])] : selected.filter((id) => !shown.has(id)));
            }}
            expanded={expanded}
            onExpand={toggleExpanded}
            onNearEnd={() => {
              if (runs.hasNextPage && !runs.isFetchingNextPage) void runs.fetchNextPage();
            }}
          />
          {groupKey ? (
            <p className={styles.muted} role="status">
              {tGroups("status", { groups: grouped.groups.length, runs: grouped.runIds?.length ?? 0, key: groupKey.key })}
            </p>
          ) : (
            <p className={styles.muted} role="status">
              {allRuns.length} {nested ? "top-level " : ""}run{allRuns.length === 1 ? "" : "s"} loaded
              {runs.hasNextPage ? "; more match — scroll the table or load more" : ""}.
            </p>
          )}
          {runs.hasNextPage && !groupKey ? (
            <button type="button" className={styles.secondary} onClick={() => void runs.fetchNextPage()} disabled={runs.isFetchingNextPage}>
              {runs.isFetchingNextPage ? "Loading…" : "Load more"}
            </button>
          ) : null}
        </>
      )}
    </>
  );
}

function RunsToolbar({
  experimentId,
  viewsMenu,
  groupControl,
  keys,
  columns,
  onColumns,
  onResetColumns,
  selected,
  selectionError,
  onClearSelection,
  onCompare,
  exportHref,
}: {
  experimentId: string;
  viewsMenu: ReactNode;
  groupControl: ReactNode;
  keys: { metrics: string[]; params: string[]; tags: string[] } | undefined;
  columns: KeyColumn[];
  onColumns: (columns: KeyColumn[]) => void;
  onResetColumns: () => void;
  selected: string[];
  selectionError: string | null;
  onClearSelection: () => void;
  /** The person follows Compare (the selection's link stops being rewritten behind the navigation). */
  onCompare: () => void;
  exportHref: string;
}) {
  return (
    <div className={tableStyles.toolbar}>
      {viewsMenu}
      {groupControl}
      <ColumnChooser keys={keys} columns={columns} onChange={onColumns} onReset={onResetColumns} />
      <a className={styles.secondary} href={exportHref} download>
        Export CSV
      </a>
      <span className={tableStyles.spacer} />
      {selectionError ? (
        <span role="alert" className={styles.error}>
          {selectionError}
        </span>
      ) : null}
      {selected.length ? (
        <>
          <span role="status">
            {selected.length} run{selected.length === 1 ? "" : "s"} selected
          </span>
          <button type="button" className={styles.secondary} onClick={onClearSelection}>
            Clear selection
          </button>
          <CompareLink className={styles.button} experimentId={experimentId} runIds={selected} onLeave={onCompare} />
        </>
      ) : (
        <span className={styles.muted}>Tick runs to compare them.</span>
      )}
    </div>
  );
}
