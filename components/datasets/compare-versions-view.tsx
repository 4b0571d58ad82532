"use client";
// Two versions of a dataset side by side: drift headline, schema diff, per-column drift tests and, for a chosen column, both distributions.
import { useQuery } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { Fragment, useId, useMemo } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { formatMetricValue } from "@/components/ui/time-format";
import ui from "@/components/ui/ui.module.css";
import { useUrlState } from "@/components/ui/use-url-state";
import type { ColumnDrift, DatasetVersionSummary, VersionComparison } from "@/server/datasets/schema";
import { binScale, comparisonSummary, driftRule, driftRuleSentence, driftTestLabel, formatBinValue, parseVersionParam, psiBandLabel, skippedColumnText } from "./profile-format";
import { QualityBadge } from "./quality-badge";
import styles from "./version-pages.module.css";

const AXIS_TICK = { fill: "var(--muted)", fontSize: 11 };

export function CompareVersionsView({ name }: { name: string }) {
  const trpc = useTRPC();
  const { params, update } = useUrlState();
  const dataset = useQuery(trpc.datasets.get.queryOptions({ name }));
  const versions = useMemo(() => [...(dataset.data?.versions ?? [])].sort((a, b) => b.version - a.version), [dataset.data]);
  // Without versions in the link, compare the latest with the one before it.
  const current = parseVersionParam(params.get("current")) ?? versions[0]?.version ?? null;
  const reference = parseVersionParam(params.get("reference")) ?? versions.find((v) => v.version !== current)?.version ?? null;
  const expanded = params.get("column");
  const ready = reference !== null && current !== null && reference !== current;
  const comparison = useQuery({
    ...trpc.datasets.compare.queryOptions({ name, reference: reference ?? 1, current: current ?? 1 }),
    enabled: ready,
    staleTime: Infinity,
  });

  const datasetHref = `/datasets/${encodeURIComponent(name)}`;
  return (
    <>
      <p className={ui.breadcrumb}>
        <Link href="/datasets">Datasets</Link> / <Link href={datasetHref}>{name}</Link> /
      </p>
      <h1>Compare versions of {name}</h1>
      {dataset.error ? <QueryError error={dataset.error} onRetry={() => void dataset.refetch()} /> : null}
      <VersionSelectors
        versions={versions}
        reference={reference}
        current={current}
        onChange={(changes) => update({ ...changes, column: null }, "push")}
        loading={dataset.isPending}
      />
      {dataset.data && versions.length < 2 ? (
        <section className={ui.panel} aria-label="Nothing to compare">
          <p>
            {name} has {versions.length === 1 ? "one version" : "no versions"}: register another version on the <Link href={datasetHref}>dataset page</Link> to compare.
          </p>
        </section>
      ) : reference !== null && reference === current ? (
        <p className={ui.muted}>Both sides are version {current}: choose two different versions.</p>
      ) : !ready ? null : comparison.error ? (
        <QueryError error={comparison.error} onRetry={() => void comparison.refetch()} />
      ) : comparison.isPending ? (
        <p role="status">
          Comparing version {reference} with version {current}…
        </p>
      ) : (
        <ComparisonResult
          name={name}
          comparison={comparison.data}
          expanded={expanded}
          onExpand={(column) => update({ column }, "replace")}
        />
      )}
    </>
  );
}

function VersionSelectors({
  versions,
  reference,
  current,
  onChange,
  loading,
}: {
  versions: DatasetVersionSummary[];
  reference: number | null;
  current: number | null;
  onChange: (changes: Record<string, string>) => void;
  loading: boolean;
}) {
  const referenceId = useId();
  const currentId = useId();
  // A version named in the link but not (yet) in the list still shows as chosen.
  const options = (chosen: number | null) => {
    const listed = versions.map((v) => v.version);
    const all = chosen !== null && !listed.includes(chosen) ? [chosen, ...listed] : listed;
    return all.map((v) => {
      const summary = versions.find((s) => s.version === v);
      return (
        <option key={v} value={v}>
          version {v}
          {summary?.note ? ` — ${summary.note.slice(0, 60)}` : ""}
        </option>
      );
    });
  };
  return (
    <div className={`${ui.panel} ${styles.selectors}`}>
      <div className={ui.field}>
        <label htmlFor={referenceId}>Reference (before)</label>
        <select
          id={referenceId}
          className={styles.select}
          value={reference ?? ""}
          disabled={loading && reference === null}
          onChange={(event) => onChange({ reference: event.target.value, current: String(current ?? "") })}
        >
          {reference === null ? <option value="">—</option> : null}
          {options(reference)}
        </select>
      </div>
      <div className={ui.field}>
        <label htmlFor={currentId}>Current (after)</label>
        <select
          id={currentId}
          className={styles.select}
          value={current ?? ""}
          disabled={loading && current === null}
          onChange={(event) => onChange({ current: event.target.value, reference: String(reference ?? "") })}
        >
          {current === null ? <option value="">—</option> : null}
          {options(current)}
        </select>
      </div>
      <button
        type="button"
        className={ui.secondary}
        disabled={reference === null || current === null}
        onClick={() => onChange({ reference: String(current), current: String(reference) })}
      >
        Swap
      </button>
    </div>
  );
}

function ComparisonResult({
  name,
  comparison,
  expanded,
  onExpand,
}: {
  name: string;
  comparison: VersionComparison;
  expanded: string | null;
  onExpand: (column: string | null) => void;
}) {
  const { schema } = comparison;
  const versionHref = (v: number) => `/datasets/${encodeURIComponent(name)}/versions/${v}`;
  const schemaChanged = schema.added.length + schema.removed.length + schema.typeChanged.length > 0;
  return (
    <>
      <section className={ui.panel} aria-labelledby="drift-summary">
        <h2 id="drift-summary" className={styles.summary}>
          {comparisonSummary(comparison)}
        </h2>
        {driftRuleSentence(comparison) ? <p>{driftRuleSentence(comparison)}</p> : null}
        <p className={ui.muted}>
          <Link href={versionHref(comparison.reference.version)}>Version {comparison.reference.version}</Link> (reference,{" "}
          {comparison.reference.rowCount === null ? "rows not counted" : `${comparison.reference.rowCount} rows`}){" "}
          <QualityBadge status={comparison.reference.qualityStatus} reason={null} /> →{" "}
          <Link href={versionHref(comparison.current.version)}>Version {comparison.current.version}</Link> (current,{" "}
          {comparison.current.rowCount === null ? "rows not counted" : `${comparison.current.rowCount} rows`}){" "}
          <QualityBadge status={comparison.current.qualityStatus} reason={null} />
        </p>
      </section>

      <section aria-labelledby="schema-diff">
        <h2 id="schema-diff">Schema</h2>
        {schemaChanged ? (
          <div className={`${ui.panel} ${styles.schemaLists}`}>
            <SchemaList title="Added" items={schema.added.map((c) => `${c.column} (${c.type})`)} />
            <SchemaList title="Removed" items={schema.removed.map((c) => `${c.column} (${c.type})`)} />
            <SchemaList title="Type changed" items={schema.typeChanged.map((c) => `${c.column}: ${c.from} → ${c.to}`)} />
            <p className={ui.muted}>{schema.unchanged} column{schema.unchanged === 1 ? "" : "s"} unchanged.</p>
          </div>
        ) : (
          <p>Same schema: {schema.unchanged} column{schema.unchanged === 1 ? "" : "s"}, same names and types.</p>
        )}
      </section>

      <section aria-labelledby="column-drift">
        <h2 id="column-drift">Column drift</h2>
        {comparison.columns.length ? (
          <DriftTable columns={comparison.columns} expanded={expanded} onExpand={onExpand} />
        ) : (
          <p className={ui.muted}>No column is in both versions with a comparable type, so no drift test ran.</p>
        )}
        {comparison.skippedColumns.length ? (
          <p className={ui.muted}>
            Not tested, because identifiers differ between versions by construction:{" "}
            {comparison.skippedColumns.map(skippedColumnText).join("; ")}.
          </p>
        ) : null}
      </section>
    </>
  );
}

function SchemaList({ title, items }: { title: string; items: string[] }) {
  return (
    <div>
      <h3>{title}</h3>
      {items.length ? (
        <ul>
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      ) : (
        <p className={ui.muted}>none</p>
      )}
    </div>
  );
}

export function DriftTable({ columns, expanded, onExpand }: { columns: ColumnDrift[]; expanded: string | null; onExpand: (column: string | null) => void }) {
  const columnCount = 9;
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table} aria-label="Column drift">
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Kind</th>
            <th scope="col">Test</th>
            <th scope="col" className={ui.num}>Score</th>
            <th scope="col">Threshold</th>
            <th scope="col">Drift</th>
            <th scope="col" className={ui.num}>PSI</th>
            <th scope="col">PSI band</th>
            <th scope="col">
              <span className="visually-hidden">Distributions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {columns.map((column) => {
            const open = expanded === column.column;
            const detailId = `drift-bins-${column.column.replace(/[^A-Za-z0-9_-]/g, "_")}`;
            return (
              <Fragment key={column.column}>
                <tr className={open ? styles.selectedRow : undefined} aria-selected={open}>
                  <th scope="row" className={styles.columnName}>
                    {column.column}
                  </th>
                  <td>{column.kind}</td>
                  <td>{driftTestLabel(column.test)}</td>
                  <td className={ui.num}>{formatMetricValue(column.score)}</td>
                  <td>{driftRule(column.test, column.threshold)}</td>
                  <td>
                    <span className={`${styles.badge} ${column.drifted ? styles.failed : styles.passed}`}>{column.drifted ? "drifted" : "no drift"}</span>
                  </td>
                  <td className={ui.num}>{formatMetricValue(column.psi)}</td>
                  <td>{psiBandLabel(column.psiBand)}</td>
                  <td>
                    <button
                      type="button"
                      className={ui.secondary}
                      aria-expanded={open}
                      aria-controls={open ? detailId : undefined}
                      onClick={() => onExpand(open ? null : column.column)}
                    >
                      {open ? "Hide" : "Show"} distributions<span className="visually-hidden"> of {column.column}</span>
                    </button>
                  </td>
                </tr>
                {open ? (
                  <tr id={detailId}>
                    <td colSpan={columnCount}>
                      <BinsChart drift={column} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Reference and current on the same bins as grouped bars, with the numbers in a table for anyone who cannot see the chart. */
function BinsChart({ drift }: { drift: ColumnDrift }) {
  const captionId = useId();
  const scale = binScale(drift.bins);
  if (!drift.bins.length) return <p className={ui.muted}>No bins to draw for {drift.column}.</p>;
  return (
    <figure className={styles.figure} aria-labelledby={captionId}>
      <div className={styles.binChart} aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={drift.bins} margin={{ top: 8, right: 12, bottom: 4, left: 4 }} accessibilityLayer={false}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={AXIS_TICK} stroke="var(--border)" interval="preserveStartEnd" />
            <YAxis tick={AXIS_TICK} stroke="var(--border)" width={56} allowDecimals={scale === "share"} tickFormatter={(v: number) => formatBinValue(v, scale)} />
            <Tooltip
              cursor={{ fill: "var(--border)", fillOpacity: 0.4 }}
              contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" }}
              formatter={(value, series) => [
                typeof value === "number" ? formatBinValue(value, scale) : String(value),
                series === "reference" ? "Reference" : "Current",
              ]}
            />
            <Legend formatter={(series) => (series === "reference" ? "Reference" : "Current")} />
            <Bar dataKey="reference" name="reference" fill="var(--muted)" isAnimationActive={false} />
            <Bar dataKey="current" name="current" fill="var(--accent)" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption id={captionId} className={styles.caption}>
        <strong>{drift.column}</strong> — <span className={styles.swatchRef} aria-hidden="true" />
        reference vs <span className={styles.swatchCur} aria-hidden="true" />
        current on {drift.bins.length} {drift.kind === "numeric" ? "bins" : "categories"}
      </figcaption>
      <div className={`${ui.tableWrap} ${styles.sampleTable}`}>
        <table className={ui.table} aria-label={`Distributions of ${drift.column}`}>
          <thead>
            <tr>
              <th scope="col">{drift.kind === "numeric" ? "Bin" : "Category"}</th>
              <th scope="col" className={ui.num}>Reference</th>
              <th scope="col" className={ui.num}>Current</th>
            </tr>
          </thead>
          <tbody>
            {drift.bins.map((bin, i) => (
              <tr key={`${i}:${bin.label}`}>
                <td>{bin.label}</td>
                <td className={ui.num}>{formatBinValue(bin.reference, scale)}</td>
                <td className={ui.num}>{formatBinValue(bin.current, scale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
