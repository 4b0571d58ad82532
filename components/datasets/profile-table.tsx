"use client";
// The version's column profile: one row per column with counts, statistics, quantiles and a mini chart; a link to the JSON.
import ui from "@/components/ui/ui.module.css";
import type { DatasetProfileOutput } from "@/server/datasets/schema";
import { ProfileMiniChart } from "./profile-mini-chart";
import { formatStat, quantileOf } from "./profile-format";
import { formatCount, formatShare } from "./format-bytes";
import styles from "./version-pages.module.css";

const QUANTILES = [
  { label: "p25", fraction: 0.25 },
  { label: "p50", fraction: 0.5 },
  { label: "p75", fraction: 0.75 },
];

export function ProfileTable({ profile, jsonHref }: { profile: DatasetProfileOutput; jsonHref: string }) {
  return (
    <>
      <p>
        <strong>{formatCount(profile.rowCount)}</strong> row{profile.rowCount === 1 ? "" : "s"} ×{" "}
        <strong>{formatCount(profile.columnCount)}</strong> column{profile.columnCount === 1 ? "" : "s"}
        <span className={ui.muted}> · profiled by {profile.engine}</span> · <a href={jsonHref}>Profile as JSON</a>
      </p>
      <div className={ui.tableWrap}>
        <table className={ui.table} aria-label="Column profile">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Type</th>
              <th scope="col" className={ui.num}>Missing</th>
              <th scope="col" className={ui.num}>Missing %</th>
              <th scope="col" className={ui.num}>Distinct</th>
              <th scope="col" className={ui.num}>Min</th>
              <th scope="col" className={ui.num}>Max</th>
              <th scope="col" className={ui.num}>Mean</th>
              <th scope="col" className={ui.num}>Std</th>
              {QUANTILES.map((q) => (
                <th key={q.label} scope="col" className={ui.num}>
                  {q.label}
                </th>
              ))}
              <th scope="col">Distribution</th>
            </tr>
          </thead>
          <tbody>
            {profile.columns.map((column) => (
              <tr key={column.name}>
                <th scope="row" className={styles.columnName} title={column.name}>
                  {column.name}
                </th>
                <td>
                  {column.type} <span className={styles.type}>({column.duckdbType})</span>
                </td>
                <td className={ui.num}>{formatCount(column.missing)}</td>
                <td className={ui.num}>{formatShare(column.missingShare)}</td>
                <td className={ui.num}>{formatCount(column.distinct)}</td>
                <td className={ui.num}>{formatStat(column.min)}</td>
                <td className={ui.num}>{formatStat(column.max)}</td>
                <td className={ui.num}>{formatStat(column.mean)}</td>
                <td className={ui.num}>{formatStat(column.std)}</td>
                {QUANTILES.map((q) => (
                  <td key={q.label} className={ui.num}>
                    {formatStat(quantileOf(column.quantiles, q.fraction))}
                  </td>
                ))}
                <td>
                  <ProfileMiniChart column={column} rows={profile.rowCount} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
