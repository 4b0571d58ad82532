"use client";
// The params that differ between the compared runs, one column per run; params equal in every run are folded away.
import { useMemo, useState } from "react";
import styles from "@/components/ui/ui.module.css";
import { diffParams, type ParamDiffRow } from "@/lib/compare-values";
import type { Run } from "@/server/tracking/schema";
import compare from "./compare.module.css";
import { RunLabel, runDisplayName } from "./run-label";

/** Cells drawn before "Show more": hundreds of runs × hundreds of params would stall the page for no reader. */
const CELL_BUDGET = 10_000;

export interface ParamsDiffProps {
  runs: readonly Run[];
}

export function ParamsDiff({ runs }: ParamsDiffProps) {
  const diff = useMemo(() => diffParams(runs), [runs]);
  const rowsPerPage = Math.max(20, Math.floor(CELL_BUDGET / Math.max(1, runs.length)));
  const [shownRows, setShownRows] = useState(rowsPerPage);

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
        <div className={`${styles.tableWrap} ${compare.diffWrap}`} tabIndex={0} role="region" aria-label="Params that differ, scrollable">
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
      {row.values.map((value, i) => {
        const differs = value !== row.commonValue;
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
          <td key={runs[i].info.run_id} className={compare.value}>
            {differs ? <mark className={compare.differs}>{shown}</mark> : shown}
          </td>
        );
      })}
    </tr>
  );
}
