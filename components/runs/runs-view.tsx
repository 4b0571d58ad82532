"use client";
// The experiment page: runs table with MLflow's filter grammar, sort and chosen columns on the server;
// windowed rows that load more as you scroll; selection for the compare view; CSV export of the view.
import { useInfiniteQuery, useQueries, useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { useTRPC, useTRPCClient } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatDuration, formatMetricValue, formatTimestamp } from "@/components/ui/time-format";
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
  orderColumnOf,
  parseColumnsParam,
  parseOrderParam,
  type KeyColumn,
  type ParsedOrder,
  type SortColumn,
} from "./run-columns";
import tableStyles from "./runs-table.module.css";
import { useBrowserOrigin } from "@/components/ui/use-browser-origin";
import { mlflowQuickstartSnippet } from "@/lib/mlflow-snippet";

const PAGE_SIZE = 100;
const NO_FILTER_KEYS: FilterKeys = { metrics: [], params: [], tags: [] };
/** Rows are one line high; a fixed estimate lets the window skip measuring 100,000 rows. */
const ROW_HEIGHT = 37;

/** The runs of one experiment, or of several side by side (from the experiments list's selection). */
export function RunsView({ experimentIds }: { experimentIds: string[] }) {
  const experimentId = experimentIds[0];
  const several = experimentIds.length > 1;
  const trpc = useTRPC();
  const client = useTRPCClient();
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
  const selected = useMemo(() => decodeUrlList(params.get("sel")), [params]);
  const setSelected = (ids: string[]) => update({ sel: ids.length ? encodeUrlList(ids) : null });

  const input = {
    experiment_ids: experimentIds,
    filter: filter || undefined,
    order_by: orderParam ? [orderParam] : undefined,
    max_results: PAGE_SIZE,
    columns: columnSelection(columns),
  };
  const runs = useInfiniteQuery({
    queryKey: [...trpc.tracking.runsTable.queryKey(input), "pages"],
    queryFn: ({ pageParam }) => client.tracking.runsTable.query({ ...input, page_token: pageParam }),
    // Defaults wait for the key list, so the first page is not fetched twice.
    enabled: columnsChosen || keys.isFetched,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_page_token,
    // A bad filter will not get better by asking again.
    retry: false,
  });
  const allRuns = useMemo(() => runs.data?.pages.flatMap((page) => page.runs) ?? [], [runs.data]);

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
              error={runs.error?.message}
              placeholder="metrics.accuracy > 0.9 and params.lr = '0.01'"
              describedBy={runs.error ? filterErrorId : "run-filter-help"}
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
        {runs.error ? (
          <p id={filterErrorId} className={styles.error} role="alert">
            {runs.error.message}
          </p>
        ) : (
          <p id="run-filter-help" className={styles.muted}>
            Press Enter to apply. Combine conditions with <code>and</code>; quote text values: <code>params.model = &apos;rf&apos;</code>.
          </p>
        )}
      </form>
      <RunsToolbar
        experimentId={experimentId}
        keys={keys.data}
        columns={columns}
        onColumns={(next) => update({ cols: columnsParam(next) }, "push")}
        onResetColumns={() => update({ cols: null }, "push")}
        selected={selected}
        onClearSelection={() => setSelected([])}
        exportHref={`/api/runs/export?${new URLSearchParams({
          experiment_ids: experimentIds.join(","),
          ...(filter ? { filter } : {}),
          ...(orderParam ? { order: orderParam } : {}),
          cols: encodeUrlList(columns.map(columnId)),
        }).toString()}`}
      />
      {runs.error ? null : runs.isPending ? (
        <p role="status">Loading runs…</p>
      ) : allRuns.length === 0 ? (
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
            runs={allRuns}
            columns={columns}
            order={order}
            onSort={(column) => update({ order: nextOrder(order, column) }, "push")}
            selected={selected}
            onSelect={setSelected}
            onNearEnd={() => {
              if (runs.hasNextPage && !runs.isFetchingNextPage) void runs.fetchNextPage();
            }}
          />
          <p className={styles.muted} role="status">
            {allRuns.length} run{allRuns.length === 1 ? "" : "s"} loaded{runs.hasNextPage ? "; more match — scroll the table or load more" : ""}.
          </p>
          {runs.hasNextPage ? (
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
  keys,
  columns,
  onColumns,
  onResetColumns,
  selected,
  onClearSelection,
  exportHref,
}: {
  experimentId: string;
  keys: { metrics: string[]; params: string[]; tags: string[] } | undefined;
  columns: KeyColumn[];
  onColumns: (columns: KeyColumn[]) => void;
  onResetColumns: () => void;
  selected: string[];
  onClearSelection: () => void;
  exportHref: string;
}) {
  return (
    <div className={tableStyles.toolbar}>
      <ColumnChooser keys={keys} columns={columns} onChange={onColumns} onReset={onResetColumns} />
      <a className={styles.secondary} href={exportHref} download>
        Export CSV
      </a>
      <span className={tableStyles.spacer} />
      {selected.length ? (
        <>
          <span role="status">
            {selected.length} run{selected.length === 1 ? "" : "s"} selected
          </span>
          <button type="button" className={styles.secondary} onClick={onClearSelection}>
            Clear selection
          </button>
          <CompareLink className={styles.button} experimentId={experimentId} runIds={selected} />
        </>
      ) : (
        <span className={styles.muted}>Tick runs to compare them.</span>
      )}
    </div>
  );
}

function SortHeader({ label, column, order, onSort }: { label: string; column: SortColumn; order: ParsedOrder; onSort: (column: SortColumn) => void }) {
  const active = order.column === orderColumnOf(column);
  const direction = active ? (order.ascending ? "ascending" : "descending") : undefined;
  return (
    <th scope="col" aria-sort={direction ?? "none"} className={column.kind === "metric" ? styles.num : undefined}>
      <button type="button" className={styles.sortButton} onClick={() => onSort(column)}>
        {label}
        <span aria-hidden="true">{active ? (order.ascending ? " ▲" : " ▼") : ""}</span>
        <span className="visually-hidden">, sort</span>
      </button>
    </th>
  );
}

function RunsTable({
  runs,
  columns,
  order,
  onSort,
  selected,
  onSelect,
  onNearEnd,
}: {
  runs: Run[];
  columns: KeyColumn[];
  order: ParsedOrder;
  onSort: (column: SortColumn) => void;
  selected: string[];
  onSelect: (ids: string[]) => void;
  onNearEnd: () => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  // Only the rows in view (and a few around) are in the DOM, so 100,000 loaded runs scroll smoothly.
  const virtualizer = useVirtualizer({
    count: runs.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Before the first measurement (and in tests without layout), render a first screenful.
    initialRect: { width: 1000, height: 700 },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : 0;
  useEffect(() => {
    if (lastIndex >= runs.length - 30) onNearEnd();
  }, [lastIndex, runs.length, onNearEnd]);

  const selectedSet = useMemo(() => new Set(selected), [selected]);
  const allLoadedSelected = runs.length > 0 && runs.every((run) => selectedSet.has(run.info.run_id));
  const paddingTop = items.length ? items[0].start : 0;
  const paddingBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const columnCount = 6 + columns.length;

  return (
    <div ref={scroller} className={`${styles.tableWrap} ${tableStyles.scroller}`} tabIndex={0} aria-label="Runs table, scrollable">
      <table className={`${styles.table} ${tableStyles.table}`} aria-label="Runs" aria-rowcount={runs.length + 1}>
        <thead>
          <tr>
            <th scope="col" className={tableStyles.select}>
              <input
                type="checkbox"
                aria-label="Select every loaded run"
                checked={allLoadedSelected}
                onChange={(event) =>
                  onSelect(
                    event.target.checked
                      ? [...new Set([...selected, ...runs.map((run) => run.info.run_id)])]
                      : selected.filter((id) => !runs.some((run) => run.info.run_id === id)),
                  )
                }
              />
            </th>
            <SortHeader label="Run name" column={{ kind: "attribute", key: "run_name" }} order={order} onSort={onSort} />
            <th scope="col">Status</th>
            <SortHeader label="Start time" column={{ kind: "attribute", key: "start_time" }} order={order} onSort={onSort} />
            <th scope="col">Duration</th>
            <th scope="col">User</th>
            {columns.map((column) => (
              <SortHeader
                key={columnId(column)}
                label={column.kind === "tag" ? `tag: ${column.key}` : column.key}
                column={column}
                order={order}
                onSort={onSort}
              />
            ))}
          </tr>
        </thead>
        <tbody>
          {paddingTop > 0 ? (
            <tr aria-hidden="true" className={tableStyles.spacer}>
              <td colSpan={columnCount} style={{ height: paddingTop }} />
            </tr>
          ) : null}
          {items.map((item) => {
            const run = runs[item.index];
            const runId = run.info.run_id;
            const values = new Map<string, string>();
            for (const m of run.data.metrics) values.set(`metrics.${m.key}`, formatMetricValue(m.value));
            for (const p of run.data.params) values.set(`params.${p.key}`, p.value);
            for (const t of run.data.tags) values.set(`tags.${t.key}`, t.value);
            const name = run.info.run_name || runId;
            return (
              <tr key={runId} aria-rowindex={item.index + 2} aria-selected={selectedSet.has(runId)} style={{ height: ROW_HEIGHT }}>
                <td className={tableStyles.select}>
                  <input
                    type="checkbox"
                    aria-label={`Select ${name}`}
                    checked={selectedSet.has(runId)}
                    onChange={(event) => onSelect(event.target.checked ? [...selected, runId] : selected.filter((id) => id !== runId))}
                  />
                </td>
                <td>
                  <Link href={`/experiments/${run.info.experiment_id}/runs/${runId}`}>{name}</Link>
                </td>
                <td>
                  <span className={`${styles.status} ${styles[run.info.status] ?? ""}`}>{run.info.status}</span>
                </td>
                <td>{formatTimestamp(run.info.start_time)}</td>
                <td>{formatDuration(run.info.start_time, run.info.end_time)}</td>
                <td>{run.info.user_id || "—"}</td>
                {columns.map((column) => {
                  const id = columnId(column);
                  return (
                    <td key={id} className={column.kind === "metric" ? styles.num : undefined}>
                      {values.get(id) ?? ""}
                    </td>
                  );
                })}
              </tr>
            );
          })}
          {paddingBottom > 0 ? (
            <tr aria-hidden="true" className={tableStyles.spacer}>
              <td colSpan={columnCount} style={{ height: paddingBottom }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
