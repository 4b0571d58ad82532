"use client";
// The experiment page: runs table with MLflow's filter grammar and sort on the server, paged with "Load more".
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState, type FormEvent } from "react";
import { useTRPC, useTRPCClient } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatDuration, formatMetricValue, formatTimestamp } from "@/components/ui/time-format";
import styles from "@/components/ui/ui.module.css";
import { useUrlState } from "@/components/ui/use-url-state";
import { filterKeysOfRuns } from "@/lib/filter-completion";
import type { Run } from "@/server/tracking/schema";
import { FilterEditor } from "./filter-editor";
import { nextOrder, orderColumnOf, parseOrderParam, pickKeyColumns, type ParsedOrder, type SortColumn } from "./run-columns";

const PAGE_SIZE = 50;

export function RunsView({ experimentId }: { experimentId: string }) {
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

  const experiment = useQuery(trpc.tracking.experiment.queryOptions({ experimentId }));
  const input = {
    experiment_ids: [experimentId],
    filter: filter || undefined,
    order_by: orderParam ? [orderParam] : undefined,
    max_results: PAGE_SIZE,
  };
  const runs = useInfiniteQuery({
    queryKey: [...trpc.tracking.searchRuns.queryKey(input), "pages"],
    queryFn: ({ pageParam }) => client.tracking.searchRuns.query({ ...input, page_token: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_page_token,
    // A bad filter will not get better by asking again.
    retry: false,
  });
  const allRuns = useMemo(() => runs.data?.pages.flatMap((page) => page.runs) ?? [], [runs.data]);
  // The filter box suggests the keys of the runs loaded so far; a server-side list of every key can replace this.
  const filterKeys = useMemo(() => filterKeysOfRuns(allRuns), [allRuns]);

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
      <h1>{experiment.data?.name ?? (experiment.error ? "Experiment" : "Loading…")}</h1>
      {experiment.error ? <QueryError error={experiment.error} /> : null}
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
              keys={filterKeys}
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
                {`export MLFLOW_TRACKING_URI=http://localhost:3000
export MLFLOW_TRACKING_TOKEN=<a token from API tokens>
python -c "import mlflow; mlflow.set_experiment('${experiment.data?.name ?? "my experiment"}'); mlflow.start_run(); mlflow.log_metric('accuracy', 0.9)"`}
              </code>
            </>
          )}
        </section>
      ) : (
        <>
          <RunsTable experimentId={experimentId} runs={allRuns} order={order} onSort={(column) => update({ order: nextOrder(order, column) }, "push")} />
          <p className={styles.muted} role="status">
            {allRuns.length} run{allRuns.length === 1 ? "" : "s"} shown{runs.hasNextPage ? "; more match" : ""}.
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
  experimentId,
  runs,
  order,
  onSort,
}: {
  experimentId: string;
  runs: Run[];
  order: ParsedOrder;
  onSort: (column: SortColumn) => void;
}) {
  const { metricKeys, paramKeys } = useMemo(() => pickKeyColumns(runs), [runs]);
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} aria-label="Runs">
        <thead>
          <tr>
            <SortHeader label="Run name" column={{ kind: "attribute", key: "run_name" }} order={order} onSort={onSort} />
            <th scope="col">Status</th>
            <SortHeader label="Start time" column={{ kind: "attribute", key: "start_time" }} order={order} onSort={onSort} />
            <th scope="col">Duration</th>
            <th scope="col">User</th>
            {metricKeys.map((key) => (
              <SortHeader key={`m:${key}`} label={key} column={{ kind: "metric", key }} order={order} onSort={onSort} />
            ))}
            {paramKeys.map((key) => (
              <SortHeader key={`p:${key}`} label={key} column={{ kind: "param", key }} order={order} onSort={onSort} />
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const metrics = new Map(run.data.metrics.map((m) => [m.key, m.value]));
            const runParams = new Map(run.data.params.map((p) => [p.key, p.value]));
            return (
              <tr key={run.info.run_id}>
                <td>
                  <Link href={`/experiments/${experimentId}/runs/${run.info.run_id}`}>{run.info.run_name || run.info.run_id}</Link>
                </td>
                <td>
                  <span className={`${styles.status} ${styles[run.info.status] ?? ""}`}>{run.info.status}</span>
                </td>
                <td>{formatTimestamp(run.info.start_time)}</td>
                <td>{formatDuration(run.info.start_time, run.info.end_time)}</td>
                <td>{run.info.user_id || "—"}</td>
                {metricKeys.map((key) => {
                  const value = metrics.get(key);
                  return (
                    <td key={`m:${key}`} className={styles.num}>
                      {value === undefined ? "" : formatMetricValue(value)}
                    </td>
                  );
                })}
                {paramKeys.map((key) => (
                  <td key={`p:${key}`}>{runParams.get(key) ?? ""}</td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
