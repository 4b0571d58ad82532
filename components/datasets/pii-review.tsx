"use client";
// The PII warning before upload: each column with what the scan found in it and a masking choice (keep, drop, salted hash, redact, generalise).
import { useId, useState, type FormEvent } from "react";
import ui from "@/components/ui/ui.module.css";
import { zMaskAction, type MaskAction, type PiiFindingOutput } from "@/server/datasets/schema";
import styles from "./datasets.module.css";
import { formatCount } from "./format-bytes";
import { describeFinding, maskActionLabels, type ColumnMaskChoice } from "./masking-choices";

type Masking = Record<string, ColumnMaskChoice>;

/** CSV: the header's columns as scanned in the browser. */
export function PiiReview({
  header,
  findings,
  rowsScanned,
  masking,
  onChange,
  disabled,
}: {
  header: string[];
  findings: PiiFindingOutput[];
  rowsScanned: number;
  masking: Masking;
  onChange: (masking: Masking) => void;
  disabled?: boolean;
}) {
  const titleId = useId();
  const flaggedColumns = new Set(findings.map((f) => f.column));
  return (
    <section className={`${ui.panel} ${flaggedColumns.size ? styles.piiWarning : styles.piiOk}`} aria-labelledby={titleId}>
      <h2 id={titleId} className={ui.panelTitle}>
        {flaggedColumns.size
          ? `Personal data found in ${flaggedColumns.size} column${flaggedColumns.size === 1 ? "" : "s"}`
          : "No personal data found"}
      </h2>
      <p className={styles.hint}>
        Scanned the first {formatCount(rowsScanned)} row{rowsScanned === 1 ? "" : "s"} in your browser; nothing has been sent yet. Only the masked
        result is stored: the raw file is masked as it streams to the server.
        {flaggedColumns.size ? " Check each flagged column's choice before registering." : " You can still mask any column below."}
      </p>
      <MaskingTable columns={header} findings={findings} masking={masking} onChange={onChange} disabled={disabled} />
    </section>
  );
}

/** Parquet: the server scans the file; the user names the columns to mask. */
export function NamedColumnMasking({ masking, onChange, disabled }: { masking: Masking; onChange: (masking: Masking) => void; disabled?: boolean }) {
  const titleId = useId();
  const inputId = useId();
  const [column, setColumn] = useState("");
  const [error, setError] = useState<string | null>(null);
  function add(event: FormEvent) {
    event.preventDefault();
    const name = column.trim();
    if (!name) return setError("Type the column's name as it appears in the file.");
    if (name in masking) return setError(`'${name}' is already in the list.`);
    setError(null);
    setColumn("");
    onChange({ ...masking, [name]: { action: "hash" } });
  }
  const columns = Object.keys(masking);
  return (
    <section className={ui.panel} aria-labelledby={titleId}>
      <h2 id={titleId} className={ui.panelTitle}>
        Masking
      </h2>
      <p className={styles.hint}>PII is scanned on the server; choose masking for named columns below. Columns not listed are kept as they are.</p>
      {columns.length ? (
        <MaskingTable
          columns={columns}
          findings={[]}
          masking={masking}
          onChange={onChange}
          disabled={disabled}
          onRemove={(name) => {
            const next = { ...masking };
            delete next[name];
            onChange(next);
          }}
        />
      ) : null}
      {/* Not a nested <form>: this sits inside the register form, so Enter adds the column instead of submitting. */}
      <div className={styles.addColumn}>
        <div className={ui.field}>
          <label htmlFor={inputId}>Column to mask</label>
          <input
            id={inputId}
            className={ui.input}
            value={column}
            maxLength={300}
            disabled={disabled}
            onChange={(event) => setColumn(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter") add(event);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${inputId}-error` : undefined}
          />
        </div>
        <button type="button" className={ui.secondary} onClick={add} disabled={disabled}>
          Add column
        </button>
      </div>
      {error ? (
        <p id={`${inputId}-error`} className={ui.error} role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}

function MaskingTable({
  columns,
  findings,
  masking,
  onChange,
  onRemove,
  disabled,
}: {
  columns: string[];
  findings: PiiFindingOutput[];
  masking: Masking;
  onChange: (masking: Masking) => void;
  onRemove?: (column: string) => void;
  disabled?: boolean;
}) {
  const set = (column: string, choice: ColumnMaskChoice) => onChange({ ...masking, [column]: choice });
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table} aria-label="Columns and masking">
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Detected</th>
            <th scope="col">Masking</th>
            {onRemove ? (
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {columns.map((column, index) => {
            const columnFindings = findings.filter((f) => f.column === column).sort((a, b) => b.share - a.share);
            return (
              <MaskingRow
                key={`${index}:${column}`}
                column={column}
                findings={columnFindings}
                choice={masking[column] ?? { action: "keep" }}
                onChoice={(choice) => set(column, choice)}
                onRemove={onRemove ? () => onRemove(column) : undefined}
                disabled={disabled}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function MaskingRow({
  column,
  findings,
  choice,
  onChoice,
  onRemove,
  disabled,
}: {
  column: string;
  findings: PiiFindingOutput[];
  choice: ColumnMaskChoice;
  onChoice: (choice: ColumnMaskChoice) => void;
  onRemove?: () => void;
  disabled?: boolean;
}) {
  const selectId = useId();
  const bandId = useId();
  return (
    <tr>
      <th scope="row" className={findings.length ? styles.flagged : undefined}>
        {column || <span className={ui.muted}>(unnamed)</span>}
      </th>
      <td className={styles.finding}>
        {findings.length ? findings.map((finding) => <div key={finding.kind}>{describeFinding(finding)}</div>) : <span className={ui.muted}>nothing detected</span>}
      </td>
      <td>
        <div className={styles.maskControls}>
          <label htmlFor={selectId} className="visually-hidden">
            Masking for {column}
          </label>
          <select
            id={selectId}
            className={styles.select}
            value={choice.action}
            disabled={disabled}
            onChange={(event) => onChoice({ action: zMaskAction.parse(event.target.value) as MaskAction, bandWidth: choice.bandWidth })}
          >
            {zMaskAction.options.map((action) => (
              <option key={action} value={action}>
                {maskActionLabels[action]}
              </option>
            ))}
          </select>
          {choice.action === "generalise" ? (
            <>
              <label htmlFor={bandId}>Band width</label>
              <input
                id={bandId}
                type="number"
                min={0}
                step="any"
                className={styles.narrowInput}
                value={choice.bandWidth ?? ""}
                disabled={disabled}
                aria-describedby={`${bandId}-hint`}
                onChange={(event) =>
                  onChoice({ action: "generalise", bandWidth: Number.isFinite(event.target.valueAsNumber) ? event.target.valueAsNumber : undefined })
                }
              />
              <span id={`${bandId}-hint`} className={styles.hint}>
                numbers become bands this wide; dates become months
              </span>
            </>
          ) : null}
        </div>
      </td>
      {onRemove ? (
        <td>
          <button type="button" className={ui.secondary} onClick={onRemove} disabled={disabled}>
            Remove<span className="visually-hidden"> {column}</span>
          </button>
        </td>
      ) : null}
    </tr>
  );
}
