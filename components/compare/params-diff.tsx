"use client";
// The params that differ between the compared runs, one column per run; params equal in every run are folded away.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useMemo, useState, type CSSProperties } from "react";
import styles from "@/components/ui/ui.module.css";
import { diffParams, type ParamDiffRow } from "@/lib/compare-values";
import type { Run } from "@/server/tracking/schema";
import compare from "./compare.module.css";
import { RunLabel, runDisplayName } from "./run-label";

/** Cells drawn before "Show more": hundreds of runs × hundreds of params would stall the page for no reader. */
const CELL_BUDGET = 10_000;
/**
 * From this many runs the run columns are windowed: only those scrolled into view (and a few either side) are in the
 * page, at a fixed width. A thousand runs made 6,000 elements here that every layout, and every accessibility
 * check, went through. Screen readers still hear the table's true size (aria-colcount, aria-colindex).
 */
export const WINDOWED_FROM_RUNS = 100;
/** A windowed run column's width (px): the run label's 14rem and the cell's padding. */
const RUN_COLUMN_WIDTH = 240;
/** The param column's width when run columns are windowed (px). */
const PARAM_COLUMN_WIDTH = 240;

export interface ParamsDiffProps {
  runs: readonly Run[];
}

export function ParamsDiff({ runs }: ParamsDiffProps) {
  const diff = useMemo(() => diffParams(runs), [runs]);
  const rowsPerPage = Math.max(20, Math.floor(CELL_BUDGET / Math.max(1, runs.length)));
  const [shownRows, setShownRows] = useState(rowsPerPage);
  // Held in state, not a ref: the windowed table's virtualizer looks for its scroll box when it renders, and a ref
  // is attached only after the table's first render; the state update renders it again with the box.
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);

  if (!runs.length) return <p className={compare.empty}>No runs to compare. Select runs in the runs table and open the comparison.</p>;
  if (!diff.differing.length && !diff.equal.length) {
    return <p className={compare.empty}>{runs.length === 1 ? "This run logged no params." : "None of these runs logged any params."}</p>;
  }

  const visible = diff.differing.slice(0, Math.max(shownRows, rowsPerPage));
  const hidden = diff.differing.length - visible.length;
  return (
    <div>
      {runs.length === 1 ? (
        <p className={compare.note}>Only one run is selected, so no param can differ. Add runs to the comparison to see what changed.</p>
      ) : diff.differing.length ? (
        <p className={compare.note}>
          {diff.differing.length} param{diff.differing.length === 1 ? " differs" : "s differ"} between the {runs.length} runs. Highlighted: values that differ
          from the most common value of their row; — means the run did not log the param.
        </p>
      ) : (
        <p className={compare.note}>Every param has the same value in all {runs.length} runs.</p>
      )}
      {diff.differing.length ? (
        // Scrolls sideways with many runs: focusable so keyboard users can scroll it too.
        <div ref={setScroller} className={`${styles.tableWrap} ${compare.diffWrap}`} tabIndex={0} role="region" aria-label="Params that differ, scrollable">
          {runs.length >= WINDOWED_FROM_RUNS ? (
            <WindowedDiffTable rows={visible} runs={runs} scroller={scroller} />
          ) : (
            <table className={styles.table}>
              <caption className="visually-hidden">Params that differ between the compared runs, one column per run</caption>
              <thead className={compare.stickyHead}>
                <tr>
                  <th scope="col" className={compare.stickyColumn}>
                    Param
                  </th>
                  {runs.map((run) => (
                    <th scope="col" key={run.info.run_id}>
                      <RunLabel runId={run.info.run_id} name={runDisplayName(run)} />
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {visible.map((row) => (
                  <DiffRow key={row.key} row={row} runs={runs} />
                ))}
              </tbody>
            </table>
          )}
          {hidden > 0 ? (
            <button type="button" className={`${styles.secondary} ${compare.more}`} onClick={() => setShownRows(visible.length + rowsPerPage)}>
              Show {Math.min(hidden, rowsPerPage)} more of {hidden} hidden params
            </button>
          ) : null}
        </div>
      ) : null}
      {diff.equal.length ? (
        <details className={compare.folded} open={runs.length === 1 || !diff.differing.length}>
          <summary>
            {runs.length === 1
              ? `${diff.equal.length} param${diff.equal.length === 1 ? "" : "s"} logged by this run`
              : `${diff.equal.length} param${diff.equal.length === 1 ? " is" : "s are"} equal in every run`}
          </summary>
          <div className={`${styles.tableWrap} ${compare.diffWrap}`} tabIndex={0} role="region" aria-label="Equal params, scrollable">
            <table className={styles.table}>
              <caption className="visually-hidden">Params with the same value in every compared run</caption>
              <thead className={compare.stickyHead}>
                <tr>
                  <th scope="col" className={compare.stickyColumn}>
                    Param
                  </th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {diff.equal.map((param) => (
                  <tr key={param.key}>
                    <th scope="row" className={`${compare.stickyColumn} ${compare.paramKey}`} title={param.key}>
                      {param.key}
                    </th>
                    <td className={compare.value}>{param.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </div>
  );
}

function DiffRow({ row, runs }: { row: ParamDiffRow; runs: readonly Run[] }) {
  return (
    <tr>
      <th scope="row" className={`${compare.stickyColumn} ${compare.paramKey}`} title={row.key}>
        {row.key}
      </th>
      {row.values.map((value, i) => (
        <DiffCell key={runs[i].info.run_id} value={value} commonValue={row.commonValue} />
      ))}
    </tr>
  );
}

function DiffCell({ value, commonValue, colIndex, style }: { value: string | null; commonValue: string | null; colIndex?: number; style?: CSSProperties }) {
  const shown =
    value === null ? (
      <>
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">not logged</span>
      </>
    ) : (
      value
    );
  return (
    <td className={compare.value} aria-colindex={colIndex} style={style}>
      {value !== commonValue ? <mark className={compare.differs}>{shown}</mark> : shown}
    </td>
  );
}

/**
 * The params table with its run columns windowed (WINDOWED_FROM_RUNS): fixed-width columns, empty spacer cells for
 * the columns before and after the window, every real cell numbered among all the table's columns.
 */
function WindowedDiffTable({ rows, runs, scroller }: { rows: readonly ParamDiffRow[]; runs: readonly Run[]; scroller: HTMLDivElement | null }) {
  const virtualizer = useVirtualizer({
    horizontal: true,
    count: runs.length,
    getScrollElement: () => scroller,
    estimateSize: () => RUN_COLUMN_WIDTH,
    paddingStart: PARAM_COLUMN_WIDTH,
    overscan: 4,
    // Before the first measurement (and when rendered without layout): a first screenful of columns.
    initialRect: { width: 1200, height: 700 },
  });
  const items = virtualizer.getVirtualItems();
  const before = items.length ? items[0].start - PARAM_COLUMN_WIDTH : 0;
  const after = items.length ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const fixed = { width: RUN_COLUMN_WIDTH, maxWidth: RUN_COLUMN_WIDTH };
  // Spacers hold the width of the columns out of the window; hidden from assistive technology.
  const spacer = (width: number, edge: string) => (width > 0 ? <td key={edge} aria-hidden="true" className={compare.spacer} style={{ width }} /> : null);
  return (
    <table
      className={styles.table}
      style={{ tableLayout: "fixed", width: virtualizer.getTotalSize() }}
      aria-colcount={runs.length + 1}
      aria-rowcount={rows.length + 1}
      data-windowed-columns={items.length}
    >
      <caption className="visually-hidden">
        Params that differ between the compared runs, one column per run; {runs.length} run columns, shown as the table scrolls sideways
      </caption>
      <thead className={compare.stickyHead}>
        <tr aria-rowindex={1}>
          <th scope="col" className={compare.stickyColumn} aria-colindex={1} style={{ width: PARAM_COLUMN_WIDTH, maxWidth: PARAM_COLUMN_WIDTH }}>
            Param
          </th>
          {spacer(before, "before")}
          {items.map((item) => {
            const run = runs[item.index];
            return (
              <th scope="col" key={run.info.run_id} aria-colindex={item.index + 2} style={fixed}>
                <RunLabel runId={run.info.run_id} name={runDisplayName(run)} />
              </th>
            );
          })}
          {spacer(after, "after")}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, r) => (
          <tr key={row.key} aria-rowindex={r + 2}>
            <th scope="row" className={`${compare.stickyColumn} ${compare.paramKey}`} title={row.key} aria-colindex={1}>
              {row.key}
            </th>
            {spacer(before, "before")}
            {items.map((item) => (
              <DiffCell key={runs[item.index].info.run_id} value={row.values[item.index]} commonValue={row.commonValue} colIndex={item.index + 2} style={fixed} />
            ))}
            {spacer(after, "after")}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
