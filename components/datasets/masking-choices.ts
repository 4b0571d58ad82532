// Pure choices of the register form: the format from a file name, a name from a file, default masking per PII finding, and the policy sent.
import type { DatasetFormat, MaskAction, PiiFindingOutput } from "@/server/datasets/schema";
import { GENERALISED_FORM, maskActions, maskChoicesFor, piiDecisionsNeeded } from "@/lib/masking";
import { formatCount, formatShare } from "./format-bytes";

export type PiiKind = PiiFindingOutput["kind"];
export interface ColumnMaskChoice {
  action: MaskAction;
  bandWidth?: number;
}

export const maskActionLabels: Record<MaskAction, string> = {
  keep: "Keep",
  drop: "Drop",
  hash: "Salted hash",
  redact: "Redact",
  generalise: "Generalise",
};

const kindNouns: Record<PiiKind, string> = {
  email: "e-mail addresses",
  phone: "phone numbers",
  iban: "IBANs",
  card: "payment card numbers",
  nir: "French social security numbers (NIR)",
  ip: "IP addresses",
  name: "personal names",
};

/** The format the server will read, from the extension; null when it is neither CSV nor Parquet. */
export function datasetFormatFromFilename(filename: string): DatasetFormat | null {
  const lower = filename.trim().toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".parquet")) return "parquet";
  return null;
}

/** A dataset name the server accepts (zDatasetName), guessed from the file name: "My data (2024).csv" → "My-data-2024". */
export function suggestDatasetName(filename: string): string {
  const stem = filename.replace(/\.(csv|parquet)$/i, "");
  return stem
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .replace(/-+$/, "")
    .slice(0, 200);
}

/**
 * The head of a file cut at a byte budget ends mid-line; that partial row would be scanned as a
 * malformed value, so drop it. A file read whole keeps its last line.
 */
export function dropPartialLastLine(text: string, truncated: boolean): string {
  if (!truncated) return text;
  const end = text.lastIndexOf("\n");
  return end < 0 ? "" : text.slice(0, end + 1);
}

/** "email — 100% of 1,000 sampled values look like e-mail addresses". */
export function describeFinding(finding: PiiFindingOutput): string {
  // Names are recognised by the column's header, not by its values, so a share would claim more than was checked.
  if (finding.kind === "name" || finding.checked === 0) return `${finding.kind} — the column header suggests ${kindNouns[finding.kind]}`;
  const sampled = `${formatCount(finding.checked)} sampled value${finding.checked === 1 ? "" : "s"}`;
  return `${finding.kind} — ${formatShare(finding.share)} of ${sampled} look like ${kindNouns[finding.kind]}`;
}

/** The decisions offered for a column: generalise only where the column's data has a meaningful coarser form. */
export function choicesForColumn(findings: PiiFindingOutput[]): MaskAction[] {
  return maskActions.filter((action) => findings.every((f) => maskChoicesFor(f.kind).includes(action)));
}

/** What "generalise" does to this column's values, for the hint beside the choice. */
export function generaliseHint(findings: PiiFindingOutput[]): string {
  const form = findings.map((f) => GENERALISED_FORM[f.kind]).find(Boolean);
  return form ? `values become ${form}` : "numbers become bands this wide; dates become months";
}

/**
 * The starting choices: the previous version's decisions for the columns this file still has (a new version
 * starts from them), nothing else. A flagged column without one stays undecided until the user picks, because
 * storing personal data, even kept as it is, is a decision someone makes out loud.
 */
export function initialMasking(header: string[], inherited: Record<string, ColumnMaskChoice> = {}): Record<string, ColumnMaskChoice> {
  const masking: Record<string, ColumnMaskChoice> = {};
  for (const column of header) if (Object.hasOwn(inherited, column)) masking[column] = { ...inherited[column]! };
  return masking;
}

/** The flagged columns still without an acceptable decision (none, or a generalise their data does not allow). */
export function undecidedColumns(masking: Record<string, ColumnMaskChoice>, findings: PiiFindingOutput[]): string[] {
  return piiDecisionsNeeded(findings, masking).map((n) => n.column);
}

/**
 * What goes in the upload's `masking`: every decision for a flagged column (keep included, so the version
 * records it) and every masked column. A band width only travels with "generalise".
 */
export function maskingPolicyToSend(
  masking: Record<string, ColumnMaskChoice>,
  findings: PiiFindingOutput[],
): Record<string, ColumnMaskChoice> {
  const flagged = new Set(findings.map((f) => f.column));
  const policy: Record<string, ColumnMaskChoice> = {};
  for (const [column, choice] of Object.entries(masking)) {
    const name = column.trim();
    if (!name) continue;
    if (choice.action === "keep" && !flagged.has(name)) continue;
    policy[name] =
      choice.action === "generalise" && choice.bandWidth !== undefined && choice.bandWidth > 0
        ? { action: "generalise", bandWidth: choice.bandWidth }
        : { action: choice.action };
  }
  return policy;
}
