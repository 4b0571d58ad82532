"use client";
// The stored (masked) rows of a version in a windowed table that fetches 200 more rows as you scroll near its end.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef } from "react";
import { useTRPC, useTRPCClient } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import ui from "@/components/ui/ui.module.css";
import { formatPreviewCell } from "./profile-format";
import { formatCount } from "./format-bytes";
import styles from "./version-pages.module.css";

const PAGE_SIZE = 200;
/** One-line rows: a fixed height lets the window skip measuring every row. */
const ROW_HEIGHT = 37;

type Cell = string | number | boolean | null;

export function VersionPreview({ name, version }: { name: string; version: number }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const key = { name, version };
  const pages = useInfiniteQuery({
    queryKey: [...trpc.datasets.preview.queryKey({ ...key, limit: PAGE_SIZE }), "pages"],
    queryFn: ({ pageParam }) => client.datasets.preview.query({ ...key, offset: pageParam, limit: PAGE_SIZE }),
    initialPageParam: 0,
    getNextPageParam: (last, all) => {
      const loaded = all.reduce((sum, page) => sum + page.rows.length, 0);
      return last.rows.length > 0 && loaded < last.totalRows ? loaded : undefined;
    },
    staleTime: Infinity,
  });
  const rows = useMemo(() => pages.data?.pages.flatMap((page) => page.rows) ?? [], [pages.data]);
  const first = pages.data?.pages[0];

  if (pages.error) return <QueryError error={pages.error} onRetry={() => void pages.refetch()} />;
  if (pages.isPending || !first) return <p role="status">Loading the first rows…</p>;
  if (first.totalRows === 0) return <p className={ui.muted}>This version has no rows: register a file with at least one data row.</p>;
  return (
    <>
      <PreviewTable
        columns={first.columns}
        rows={rows}
        totalRows={first.totalRows}
        onNearEnd={() => {
          if (pages.hasNextPage && !pages.isFetchingNextPage) void pages.fetchNextPage();
        }}
      />
      <p className={ui.muted} role="status">
        {formatCount(rows.length)} of {formatCount(first.totalRows)} rows loaded
        {pages.isFetchingNextPage ? "; loading more…" : pages.hasNextPage ? "; scroll the table to load more" : ""}.
      </p>
      {pages.hasNextPage ? (
        <button type="button" className={ui.secondary} onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
          {pages.isFetchingNextPage ? "Loading…" : `Load ${PAGE_SIZE} more`}
        </button>
      ) : null}
    </>
  );
}

function PreviewTable({ columns, rows, totalRows, onNearEnd }: { columns: string[]; rows: Cell[][]; totalRows: number; onNearEnd: () => void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Before the first measurement (and in tests without layout), render a first screenful.
    initialRect: { width: 1000, height: 700 },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : 0;
  useEffect(() => {
    if (lastIndex >= rows.length - 40) onNearEnd();
  }, [lastIndex, rows.length, onNearEnd]);

  const paddingTop = items.length ? items[0].start : 0;
  const paddingBottom = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const columnCount = columns.length + 1;
  return (
    <div ref={scroller} className={`${ui.tableWrap} ${styles.previewScroller}`} tabIndex={0} aria-label="Preview rows, scrollable">
      <table className={`${ui.table} ${styles.previewTable}`} aria-label="Preview rows" aria-rowcount={totalRows + 1} aria-colcount={columnCount}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" className={styles.rowNumber}>
              #
            </th>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {paddingTop > 0 ? (
            <tr aria-hidden="true" className={styles.spacer}>
              <td colSpan={columnCount} style={{ height: paddingTop }} />
            </tr>
          ) : null}
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <tr key={item.index} aria-rowindex={item.index + 2} style={{ height: ROW_HEIGHT }}>
                <th scope="row" className={styles.rowNumber}>
                  {item.index + 1}
                </th>
                {columns.map((column, c) => {
                  const value = row[c] ?? null;
                  const text = formatPreviewCell(value);
                  return (
                    <td key={column} className={value === null ? styles.nullCell : undefined} title={text.length > 40 ? text : undefined}>
                      {text}
                    </td>
                  );
                })}
              </tr>
            );
          })}
          {paddingBottom > 0 ? (
            <tr aria-hidden="true" className={styles.spacer}>
              <td colSpan={columnCount} style={{ height: paddingBottom }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
