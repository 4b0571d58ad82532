"use client";
// The datasets page: search by name (in the URL), each dataset's latest version with its size, quality and profile, and a way to register one.
import { useQuery } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useEffect, useState } from "react";
import { usePermission } from "@/components/auth/use-permission";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatRelativeTime, formatTimestamp } from "@/components/ui/time-format";
import ui from "@/components/ui/ui.module.css";
import { useUrlState } from "@/components/ui/use-url-state";
import type { DatasetSummary } from "@/server/datasets/schema";
import styles from "./datasets.module.css";
import { formatCount } from "./format-bytes";
import { ProfileStatus, QualityBadge } from "./quality-badge";
import { markdownSummary } from "@/lib/markdown-summary";

export function DatasetsList() {
  const trpc = useTRPC();
  const { params, update } = useUrlState();
  const q = params.get("q") ?? "";
  const canWrite = usePermission("datasets.write");
  // The box updates at once; the URL (and so the query) follows after a short pause in typing.
  const [search, setSearch] = useState(q);
  const [seenQ, setSeenQ] = useState(q);
  if (seenQ !== q) {
    setSeenQ(q);
    setSearch(q);
  }
  useEffect(() => {
    if (search === q) return;
    const timer = setTimeout(() => update({ q: search }), 250);
    return () => clearTimeout(timer);
  }, [search, q, update]);

  const list = useQuery(trpc.datasets.list.queryOptions({ search: q || undefined }));

  return (
    <>
      <div className={styles.headerRow}>
        <h1>Datasets</h1>
        {canWrite ? (
          <Link className={ui.button} href="/datasets/new">
            Register a dataset
          </Link>
        ) : null}
      </div>
      <div className={ui.toolbar} role="search">
        <div className={ui.field}>
          <label htmlFor="dataset-search">Search datasets</label>
          <input
            id="dataset-search"
            type="search"
            className={ui.input}
            value={search}
            placeholder="Name contains…"
            maxLength={200}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
      </div>
      {list.error ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <p role="status">Loading datasets…</p>
      ) : list.data.length === 0 ? (
        <EmptyDatasets searching={Boolean(q)} canWrite={canWrite} />
      ) : (
        <DatasetsTable datasets={list.data} now={list.dataUpdatedAt} />
      )}
    </>
  );
}

function EmptyDatasets({ searching, canWrite }: { searching: boolean; canWrite: boolean }) {
  if (searching) return <p className={ui.panel}>No dataset name matches this search. Clear the box to see them all.</p>;
  return (
    <section className={ui.panel} aria-label="No datasets yet">
      <p>
        No datasets yet.{" "}
        {canWrite ? (
          <>
            <Link href="/datasets/new">Register a dataset</Link>: drop a CSV or Parquet file, choose how to mask its personal data, and the
            studio versions and profiles it.
          </>
        ) : (
          "An editor can register the first one by uploading a CSV or Parquet file."
        )}
      </p>
    </section>
  );
}

/** `now` is when the list was fetched, so "3 minutes ago" is true of the data shown. */
function DatasetsTable({ datasets, now }: { datasets: DatasetSummary[]; now: number }) {
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table} aria-label="Datasets">
        <caption className="visually-hidden">Datasets, most recently updated first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Description</th>
            <th scope="col" className={ui.num}>Latest version</th>
            <th scope="col" className={ui.num}>Rows</th>
            <th scope="col" className={ui.num}>Columns</th>
            <th scope="col">Quality</th>
            <th scope="col">Profile</th>
            <th scope="col" className={ui.num}>Masked columns</th>
            <th scope="col">Owner</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {datasets.map((dataset) => {
            const latest = dataset.latest;
            return (
              <tr key={dataset.name}>
                <td>
                  <Link href={`/datasets/${encodeURIComponent(dataset.name)}`}>{dataset.name}</Link>
                </td>
                <td>
                  {markdownSummary(dataset.description) ? (
                    <div className={styles.description} title={markdownSummary(dataset.description)}>
                      {markdownSummary(dataset.description)}
                    </div>
                  ) : (
                    <span className={ui.muted}>—</span>
                  )}
                </td>
                <td className={ui.num}>
                  {latest ? (
                    <Link href={`/datasets/${encodeURIComponent(dataset.name)}/versions/${latest.version}`}>
                      <span className="visually-hidden">{dataset.name} version </span>
                      {latest.version}
                    </Link>
                  ) : (
                    "—"
                  )}
                </td>
                <td className={ui.num}>{formatCount(latest?.rowCount)}</td>
                <td className={ui.num}>{latest ? formatCount(latest.columnCount) : "—"}</td>
                <td>{latest ? <QualityBadge status={latest.qualityStatus} reason={latest.qualityReason} /> : <span className={ui.muted}>no versions</span>}</td>
                <td>{latest ? <ProfileStatus version={latest} /> : "—"}</td>
                <td className={ui.num}>{latest ? formatCount(latest.maskedColumns) : "—"}</td>
                <td>{dataset.owner}</td>
                <td title={formatTimestamp(dataset.updatedAt)}>{formatRelativeTime(dataset.updatedAt, now)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
