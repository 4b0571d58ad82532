"use client";
// The PII warning before upload: each column with what the scan found in it and a masking choice (keep, drop, salted hash, redact, generalise).
import { useId, useState, type FormEvent } from "react";
import ui from "@/components/ui/ui.module.css";
import { zMaskAction, type PiiFindingOutput } from "@/server/datasets/schema";
import styles from "./datasets.module.css";
import { formatCount } from "./format-bytes";
import { choicesForColumn, describeFinding, generaliseHint, maskActionLabels, type ColumnMaskChoice } from "./masking-choices";

type Masking = Record<string, ColumnMaskChoice>;

/** CSV: the header's columns as scanned in the browser. */
export function PiiReview({
  header,
  findings,
  rowsScanned,
  masking,
  onChange,
  disabled,
  inherited,
  showMissing,
}: {
  header: string[];
  findings: PiiFindingOutput[];
  rowsScanned: number;
  masking: Masking;
  onChange: (masking: Masking) => void;
  disabled?: boolean;
  /** The previous version's decisions, which this version starts from. */
  inherited?: { version: number; masking: Masking };
  /** After a refused submit: mark the flagged columns still without a decision. */
  showMissing?: boolean;
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
        {flaggedColumns.size
          ? " Choose what happens to each flagged column before registering: nothing is decided for you, and Keep stores the column as it is."
          : " You can still mask any column below."}
        {inherited ? ` Decisions of version ${inherited.version} are filled in: a new version starts from them.` : ""}
      </p>
      <MaskingTable
        columns={header}
        findings={findings}
        masking={masking}
        onChange={onChange}
        disabled={disabled}
        inherited={inherited}
        showMissing={showMissing}
      />
    </section>
  );
}

/** Parquet: the server scans the file; the user names the columns to mask (and decides for those the server flagged). */
export function NamedColumnMasking({
  masking,
  onChange,
  disabled,
  findings = [],
  showMissing,
}: {
  masking: Masking;
  onChange: (masking: Masking) => void;
  disabled?: boolean;
  /** Columns the server flagged in this file (from its 422), each needing a decision. */
  findings?: PiiFindingOutput[];
  showMissing?: boolean;
}) {
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
  const columns = [...new Set([...findings.map((f) => f.column), ...Object.keys(masking)])];
  return (
    <section className={ui.panel} aria-labelledby={titleId}>
      <h2 id={titleId} className={ui.panelTitle}>
        Masking
      </h2>
      <p className={styles.hint}>
        PII is scanned on the server; choose masking for named columns below. Columns not listed keep the previous version&apos;s decision, or are kept as
        they are; a column the server flags as personal data without a decision is refused, and listed here for you to decide.
      </p>
      {columns.length ? (
        <MaskingTable
          columns={columns}
          findings={findings}
          showMissing={showMissing}
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
  inherited,
  showMissing,
}: {
  columns: string[];
  findings: PiiFindingOutput[];
  masking: Masking;
  onChange: (masking: Masking) => void;
  onRemove?: (column: string) => void;
  disabled?: boolean;
  inherited?: { version: number; masking: Masking };
  showMissing?: boolean;
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
                choice={masking[column] ?? (columnFindings.length ? undefined : { action: "keep" })}
                inheritedFrom={inherited && Object.hasOwn(inherited.masking, column) && inherited.masking[column]?.action === masking[column]?.action ? inherited.version : undefined}
                missing={Boolean(showMissing && columnFindings.length && !(masking[column] && choicesForColumn(columnFindings).includes(masking[column].action)))}
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
  inheritedFrom,
  missing,
}: {
  column: string;
  findings: PiiFindingOutput[];
  /** Undefined: a flagged column nobody has decided for yet. */
  choice: ColumnMaskChoice | undefined;
  onChoice: (choice: ColumnMaskChoice) => void;
  onRemove?: () => void;
  disabled?: boolean;
  inheritedFrom?: number;
  missing?: boolean;
}) {
  const selectId = useId();
  const bandId = useId();
  const choices = choicesForColumn(findings);
  // A decision the data does not allow (an inherited "generalise" on a column now holding card numbers) is shown as undecided.
  const value = choice && choices.includes(choice.action) ? choice.action : "";
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
            value={value}
            disabled={disabled}
            aria-invalid={missing ? true : undefined}
            aria-describedby={missing ? `${selectId}-missing` : undefined}
            onChange={(event) => {
              const parsed = zMaskAction.safeParse(event.target.value);
              if (parsed.success) onChoice({ action: parsed.data, bandWidth: choice?.bandWidth });
            }}
          >
            {value === "" ? (
              <option value="" disabled>
                Choose…
              </option>
            ) : null}
            {choices.map((action) => (
              <option key={action} value={action}>
                {maskActionLabels[action]}
              </option>
            ))}
          </select>
          {inheritedFrom !== undefined ? <span className={styles.hint}>as in version {inheritedFrom}</span> : null}
          {missing ? (
            <span id={`${selectId}-missing`} className={ui.error}>
              Choose what happens to this column
            </span>
          ) : null}
          {value === "generalise" && findings.length ? <span className={styles.hint}>{generaliseHint(findings)}</span> : null}
          {value === "generalise" && !findings.length ? (
            <>
              <label htmlFor={bandId}>Band width</label>
              <input
                id={bandId}
                type="number"
                min={0}
                step="any"
                className={styles.narrowInput}
                value={choice?.bandWidth ?? ""}
                disabled={disabled}
                aria-describedby={`${bandId}-hint`}
                onChange={(event) =>
                  onChoice({ action: "generalise", bandWidth: Number.isFinite(event.target.valueAsNumber) ? event.target.valueAsNumber : undefined })
                }
              />
              <span id={`${bandId}-hint`} className={styles.hint}>
                {generaliseHint(findings)}
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
