// The version's personal-data scan (column, kind, share of matching values) and the masking applied to each column.
import ui from "@/components/ui/ui.module.css";
import type { DatasetVersionDetail } from "@/server/datasets/schema";
import { maskActionLabel, piiKindLabel } from "./profile-format";
import { formatCount, formatShare } from "./format-bytes";

/** Flagged columns stored as they are because someone decided "keep". */
export function keptPersonalColumns(detail: Pick<DatasetVersionDetail, "maskingPolicy" | "piiFindings">): string[] {
  return [...new Set(detail.piiFindings.map((f) => f.column))].filter((column) => detail.maskingPolicy[column]?.action === "keep");
}

/** One line for the version's summary: what personal data was found and what became of it. */
export function personalDataSummary(detail: Pick<DatasetVersionDetail, "maskingPolicy" | "piiFindings">): string {
  const flagged = new Set(detail.piiFindings.map((f) => f.column));
  if (!flagged.size) return "none found by the scan";
  const kept = keptPersonalColumns(detail);
  const masked = flagged.size - kept.length;
  const parts = [];
  if (masked) parts.push(`${masked} flagged column${masked === 1 ? "" : "s"} masked`);
  if (kept.length) parts.push(`kept as is by decision (keep): ${kept.join(", ")}`);
  return parts.join("; ");
}

export function VersionMasking({ detail }: { detail: Pick<DatasetVersionDetail, "columns" | "maskingPolicy" | "piiFindings"> }) {
  const findings = [...detail.piiFindings].sort((a, b) => b.share - a.share);
  // Dropped columns are no longer in the stored file, but the policy still names them: list both.
  const columns = [...detail.columns, ...Object.keys(detail.maskingPolicy).filter((column) => !detail.columns.includes(column))];
  const findingsOf = (column: string) => findings.filter((finding) => finding.column === column);
  return (
    <>
      <p>The raw upload was streamed through the masker; only this masked result is stored.</p>
      <h3>Personal data found at upload</h3>
      {findings.length ? (
        <div className={ui.tableWrap}>
          <table className={ui.table} aria-label="PII findings">
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Kind</th>
                <th scope="col" className={ui.num}>Share of values</th>
                <th scope="col" className={ui.num}>Matched / checked</th>
              </tr>
            </thead>
            <tbody>
              {findings.map((finding) => (
                <tr key={`${finding.column}:${finding.kind}`}>
                  <td>{finding.column}</td>
                  <td>{piiKindLabel(finding.kind)}</td>
                  <td className={ui.num}>{formatShare(finding.share)}</td>
                  <td className={ui.num}>
                    {formatCount(finding.matched)} / {formatCount(finding.checked)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className={ui.muted}>The scan found no e-mail addresses, phone numbers, IBANs, card numbers, NIRs, IP addresses or name-like headers.</p>
      )}
      <h3>Applied per column</h3>
      <div className={ui.tableWrap}>
        <table className={ui.table} aria-label="Masking policy">
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">Applied</th>
              <th scope="col">Personal data found</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((column) => {
              const found = findingsOf(column);
              return (
                <tr key={column}>
                  <td>{column}</td>
                  <td>
                    {maskActionLabel(detail.maskingPolicy[column])}
                    {found.length && detail.maskingPolicy[column]?.action === "keep" ? " — stored as it is, by decision" : ""}
                  </td>
                  <td>{found.length ? found.map((f) => `${piiKindLabel(f.kind)} (${formatShare(f.share)})`).join(", ") : <span className={ui.muted}>none</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
