"use client";
// Register a dataset version: drop a CSV or Parquet file, review the PII found in it, choose masking and metadata, upload with progress.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type DragEvent, type FormEvent } from "react";
import { useCurrentUser, usePermission } from "@/components/auth/use-permission";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import ui from "@/components/ui/ui.module.css";
import { zDatasetName, zRegisterVersionMeta, type DatasetFormat, type PiiFindingOutput } from "@/server/datasets/schema";
import styles from "./datasets.module.css";
import { formatBytes } from "./format-bytes";
import { datasetFormatFromFilename, initialMasking, maskingPolicyToSend, suggestDatasetName, undecidedColumns, type ColumnMaskChoice } from "./masking-choices";
import { NamedColumnMasking, PiiReview } from "./pii-review";
import { scanCsvFile, type CsvScan } from "./scan-file";
import { uploadDatasetFile, type UploadHandle, type UploadMeta } from "./upload-file";
import { UploadStatus, type Upload } from "./upload-status";

type Scan = { state: "idle" } | { state: "scanning" } | { state: "done"; result: CsvScan } | { state: "error"; message: string };

/** `existingName`: add a version to this dataset (its name fixed, its metadata prefilled); otherwise register a new one. */
export function RegisterDatasetForm({ existingName }: { existingName?: string }) {
  const trpc = useTRPC();
  const canWrite = usePermission("datasets.write");
  const me = useCurrentUser();
  const existing = useQuery(trpc.datasets.get.queryOptions({ name: existingName ?? "" }, { enabled: Boolean(existingName) }));
  const latestVersion = existing.data?.versions[0]?.version;
  // The previous version's masking policy: the new version starts from it.
  const latest = useQuery(
    trpc.datasets.version.queryOptions({ name: existingName ?? "", version: latestVersion ?? 1 }, { enabled: Boolean(existingName && latestVersion) }),
  );

  const title = existingName ? `New version of ${existingName}` : "Register a dataset";
  const breadcrumb = (
    <p className={ui.breadcrumb}>
      <Link href="/datasets">Datasets</Link> /
      {existingName ? (
        <>
          {" "}
          <Link href={`/datasets/${encodeURIComponent(existingName)}`}>{existingName}</Link> /
        </>
      ) : null}
    </p>
  );
  if (me.isPending || (existingName && existing.isPending) || (latestVersion && latest.isPending)) {
    return (
      <>
        {breadcrumb}
        <h1>{title}</h1>
        <p role="status">Loading…</p>
      </>
    );
  }
  if (me.error) {
    return (
      <>
        {breadcrumb}
        <h1>{title}</h1>
        <QueryError error={me.error} onRetry={() => void me.refetch()} />
      </>
    );
  }
  if (!canWrite) {
    return (
      <>
        {breadcrumb}
        <h1>{title}</h1>
        <p className={ui.panel}>Your role may read datasets but not register them. Ask an admin for the editor role, then come back to this page.</p>
      </>
    );
  }
  if (existingName && existing.error) {
    return (
      <>
        {breadcrumb}
        <h1>{title}</h1>
        <QueryError error={existing.error} onRetry={() => void existing.refetch()} />
        <p>
          Or <Link href="/datasets/new">register a new dataset</Link> instead.
        </p>
      </>
    );
  }
  const prefill = existing.data
    ? {
        description: existing.data.description,
        source: existing.data.source,
        licence: existing.data.licence,
        labelColumn: existing.data.labelColumn ?? "",
        sensitiveAttributes: existing.data.sensitiveAttributes,
        nextVersion: (existing.data.versions[0]?.version ?? 0) + 1,
        inherited: latest.data ? { version: latest.data.version, masking: latest.data.maskingPolicy } : undefined,
      }
    : undefined;
  return (
    <>
      {breadcrumb}
      <h1>{title}</h1>
      <RegisterForm key={existingName ?? ""} existingName={existingName} prefill={prefill} />
    </>
  );
}

interface Prefill {
  description: string;
  source: string;
  licence: string;
  labelColumn: string;
  sensitiveAttributes: string[];
  nextVersion: number;
  /** The latest version's decisions per column, which a new version starts from. */
  inherited?: { version: number; masking: Record<string, ColumnMaskChoice> };
}

function RegisterForm({ existingName, prefill }: { existingName?: string; prefill?: Prefill }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const ids = useId();
  const uploadRef = useRef<UploadHandle | null>(null);
  const scanToken = useRef(0);

  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<DatasetFormat | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [scan, setScan] = useState<Scan>({ state: "idle" });
  const [masking, setMasking] = useState<Record<string, ColumnMaskChoice>>({});
  // Personal data the server found that the browser's scan did not (Parquet, or rows past the scanned head): from its 422.
  const [serverFindings, setServerFindings] = useState<PiiFindingOutput[]>([]);
  const [showMissing, setShowMissing] = useState(false);

  const [name, setName] = useState(existingName ?? "");
  const [nameError, setNameError] = useState<string | null>(null);
  const [description, setDescription] = useState(prefill?.description ?? "");
  const [source, setSource] = useState(prefill?.source ?? "");
  const [licence, setLicence] = useState(prefill?.licence ?? "");
  const [labelColumn, setLabelColumn] = useState(prefill?.labelColumn ?? "");
  const [sensitive, setSensitive] = useState<string[]>(prefill?.sensitiveAttributes ?? []);
  const [sensitiveText, setSensitiveText] = useState((prefill?.sensitiveAttributes ?? []).join(", "));
  const [note, setNote] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const [upload, setUpload] = useState<Upload>({ state: "idle" });

  // Leaving the page mid-upload cancels it, so the server stores nothing half-sent.
  useEffect(() => () => uploadRef.current?.cancel(), []);

  const header = scan.state === "done" ? scan.result.header : [];
  const findings = [...(scan.state === "done" ? scan.result.findings : []), ...serverFindings];
  const uploading = upload.state === "uploading";

  // Closing the tab mid-upload would lose the transfer: the browser asks first.
  useEffect(() => {
    if (!uploading) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [uploading]);

  function chooseFile(chosen: File | undefined, extraFiles = 0) {
    scanToken.current += 1;
    setUpload({ state: "idle" });
    setFormError(null);
    setScan({ state: "idle" });
    setMasking({});
    setServerFindings([]);
    setShowMissing(false);
    if (!chosen) {
      setFile(null);
      setFormat(null);
      return;
    }
    const detected = datasetFormatFromFilename(chosen.name);
    if (!detected) {
      setFile(null);
      setFormat(null);
      setFileError(`'${chosen.name}' is not a CSV or Parquet file. Export it as .csv or .parquet and choose it again.`);
      return;
    }
    setFileError(extraFiles ? `Only one file is registered at a time: using '${chosen.name}'.` : null);
    setFile(chosen);
    setFormat(detected);
    if (!existingName && !name.trim()) setName(suggestDatasetName(chosen.name));
    if (detected === "csv") void scanChosen(chosen);
  }

  async function scanChosen(chosen: File) {
    const token = scanToken.current;
    setScan({ state: "scanning" });
    try {
      const result = await scanCsvFile(chosen);
      if (token !== scanToken.current) return;
      if (!result.header.length) {
        setScan({ state: "error", message: `'${chosen.name}' has no header row. A CSV needs its column names on the first line; fix the file and choose it again.` });
        return;
      }
      setScan({ state: "done", result });
      setMasking(initialMasking(result.header, prefill?.inherited?.masking));
      // Keep only choices that still name a column of this file.
      setLabelColumn((current) => (result.header.includes(current) ? current : ""));
      setSensitive((current) => current.filter((column) => result.header.includes(column)));
    } catch (error) {
      if (token !== scanToken.current) return;
      const reason = error instanceof Error ? error.message : String(error);
      setScan({ state: "error", message: `Could not read the first rows of '${chosen.name}' (${reason}). Check that it is a UTF-8 CSV with a header row, or choose another file.` });
    }
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    if (uploading) return;
    const files = event.dataTransfer.files;
    chooseFile(files[0], Math.max(0, files.length - 1));
  }

  function buildMeta(): UploadMeta | { error: string } {
    if (!file || !format) return { error: "Choose a CSV or Parquet file first." };
    if (format === "csv" && scan.state !== "done") {
      return { error: scan.state === "scanning" ? "Wait for the PII scan to finish, then register." : "The file could not be scanned: choose another file." };
    }
    const datasetName = zDatasetName.safeParse(existingName ?? name);
    if (!datasetName.success) {
      setNameError(datasetName.error.issues[0]?.message ?? "Check the name.");
      return { error: "Fix the dataset's name." };
    }
    setNameError(null);
    const undecided = undecidedColumns(masking, findings);
    if (undecided.length) {
      setShowMissing(true);
      return {
        error:
          `Choose what happens to ${undecided.length === 1 ? "the column" : `each of the ${undecided.length} columns`} flagged as personal data ` +
          `(${undecided.join(", ")}): drop, hash, redact, generalise where offered, or Keep to store it as it is.`,
      };
    }
    const dropped = (column: string) => masking[column]?.action === "drop";
    if (labelColumn && dropped(labelColumn.trim())) {
      return { error: `The label column '${labelColumn}' is set to be dropped: keep or hash it, or choose another label column.` };
    }
    const sensitiveAttributes =
      format === "csv"
        ? sensitive.filter((column) => !dropped(column))
        : sensitiveText
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean);
    const meta: UploadMeta = {
      name: datasetName.data,
      format,
      filename: file.name,
      description: description.trim(),
      source: source.trim(),
      licence: licence.trim(),
      labelColumn: labelColumn.trim() || null,
      sensitiveAttributes,
      note: note.trim(),
      masking: maskingPolicyToSend(masking, findings),
    };
    const checked = zRegisterVersionMeta.safeParse(meta);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return { error: `${issue?.path.join(".") || "The form"}: ${issue?.message ?? "check the fields"}` };
    }
    return meta;
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (uploading || !file) {
      if (!file) setFormError("Choose a CSV or Parquet file first.");
      return;
    }
    const meta = buildMeta();
    if ("error" in meta) {
      setFormError(meta.error);
      return;
    }
    setFormError(null);
    setUpload({ state: "uploading", loaded: 0, total: file.size });
    const handle = uploadDatasetFile(file, meta, (loaded, total) => setUpload({ state: "uploading", loaded, total }));
    uploadRef.current = handle;
    const outcome = await handle.outcome;
    uploadRef.current = null;
    if (outcome.kind === "cancelled") return setUpload({ state: "cancelled" });
    if (outcome.kind === "error") {
      if (outcome.piiDecisions?.length) {
        const known = new Set(findings.map((f) => `${f.column}:${f.kind}`));
        const found = outcome.piiDecisions.flatMap((n) => n.detected.map((d) => ({ column: n.column, ...d })));
        setServerFindings((current) => [...current, ...found.filter((f) => !known.has(`${f.column}:${f.kind}`))]);
        setShowMissing(true);
      }
      return setUpload({ state: "failed", message: outcome.message });
    }
    void queryClient.invalidateQueries({ queryKey: trpc.datasets.pathKey() });
    const { version } = outcome.registered;
    if (!outcome.registered.created) return setUpload({ state: "duplicate", version });
    router.push(`/datasets/${encodeURIComponent(version.datasetName)}/versions/${version.version}`);
  }

  const sensitiveOptions = header.filter((column) => masking[column]?.action !== "drop");
  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-label={existingName ? `New version of ${existingName}` : "Register a dataset"}>
      <section className={ui.panel} aria-labelledby={`${ids}-file`}>
        <h2 id={`${ids}-file`} className={ui.panelTitle}>
          File
        </h2>
        <div
          className={dragging ? styles.dropZoneActive : styles.dropZone}
          onDragOver={(event) => {
            event.preventDefault();
            if (!uploading) setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="dataset-drop-zone"
        >
          <p className={styles.dropHint}>Drop a CSV or Parquet file here, or</p>
          <label htmlFor={`${ids}-input`} className={styles.fileLabel}>
            Choose a CSV or Parquet file
          </label>
          <input
            id={`${ids}-input`}
            type="file"
            accept=".csv,.parquet,text/csv"
            disabled={uploading}
            onChange={(event) => chooseFile(event.target.files?.[0])}
            aria-describedby={fileError ? `${ids}-file-error` : undefined}
          />
          {file ? (
            <p className={styles.chosenFile} role="status">
              {file.name} — {formatBytes(file.size)}, {format === "csv" ? "CSV" : "Parquet"}
            </p>
          ) : null}
        </div>
        {fileError ? (
          <p id={`${ids}-file-error`} className={ui.error} role="alert">
            {fileError}
          </p>
        ) : null}
        {prefill ? <p className={styles.hint}>This file becomes version {prefill.nextVersion}, unless the same bytes are already registered.</p> : null}
      </section>

      {format === "csv" && scan.state === "scanning" ? <p role="status">Looking for personal data in the first rows…</p> : null}
      {format === "csv" && scan.state === "error" ? (
        <p className={`${ui.panel} ${ui.error}`} role="alert">
          {scan.message}
        </p>
      ) : null}
      {format === "csv" && scan.state === "done" ? (
        <PiiReview
          header={scan.result.header}
          findings={findings}
          rowsScanned={scan.result.rowsScanned}
          masking={masking}
          onChange={setMasking}
          disabled={uploading}
          inherited={prefill?.inherited}
          showMissing={showMissing}
        />
      ) : null}
      {format === "parquet" ? (
        <NamedColumnMasking masking={masking} onChange={setMasking} disabled={uploading} findings={serverFindings} showMissing={showMissing} />
      ) : null}

      <fieldset className={styles.aboutPanel} disabled={uploading}>
        <legend className="visually-hidden">About the dataset</legend>
        <h2 className={ui.panelTitle}>About the dataset</h2>
        <div className={styles.formGrid}>
          <div className={ui.field}>
            <label htmlFor={`${ids}-name`}>Name</label>
            <input
              id={`${ids}-name`}
              className={ui.input}
              value={existingName ?? name}
              readOnly={Boolean(existingName)}
              maxLength={200}
              onChange={(event) => setName(event.target.value)}
              aria-invalid={nameError ? true : undefined}
              aria-describedby={`${ids}-name-hint${nameError ? ` ${ids}-name-error` : ""}`}
            />
            <p id={`${ids}-name-hint`} className={styles.hint}>
              {existingName ? "A new version is added to this dataset." : "Letters, digits, '.', '_' or '-'; it cannot be changed later."}
            </p>
            {nameError ? (
              <p id={`${ids}-name-error`} className={ui.error} role="alert">
                {nameError}
              </p>
            ) : null}
          </div>
          <div className={ui.field}>
            <label htmlFor={`${ids}-source`}>Source</label>
            <input id={`${ids}-source`} className={ui.input} value={source} maxLength={1000} placeholder="Where the data comes from" onChange={(e) => setSource(e.target.value)} />
          </div>
          <div className={ui.field}>
            <label htmlFor={`${ids}-licence`}>Licence</label>
            <input id={`${ids}-licence`} className={ui.input} value={licence} maxLength={300} placeholder="e.g. CC BY 4.0, internal" onChange={(e) => setLicence(e.target.value)} />
          </div>
          <div className={ui.field}>
            <label htmlFor={`${ids}-label`}>Label column</label>
            {format === "csv" && header.length ? (
              <select id={`${ids}-label`} className={styles.select} value={labelColumn} onChange={(e) => setLabelColumn(e.target.value)}>
                <option value="">None</option>
                {header.map((column) => (
                  <option key={column} value={column}>
                    {column}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={`${ids}-label`}
                className={ui.input}
                value={labelColumn}
                maxLength={300}
                placeholder={format === "parquet" ? "Column name, if any" : "Choose a file to pick from its columns"}
                onChange={(e) => setLabelColumn(e.target.value)}
              />
            )}
            <p className={styles.hint}>The column a model learns to predict (used by fairness checks).</p>
          </div>
        </div>
        <div className={styles.spacedField}>
          <label htmlFor={`${ids}-description`}>Description</label>
          <textarea
            id={`${ids}-description`}
            className={styles.textarea}
            value={description}
            maxLength={5000}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        {format === "csv" && header.length ? (
          <fieldset className={styles.fieldset}>
            <legend>Sensitive attributes</legend>
            <p className={styles.legendHint}>
              Attributes such as sex or age that fairness checks compare groups by. Dropped columns are not offered.
            </p>
            <div className={styles.checkboxes}>
              {sensitiveOptions.map((column) => (
                <label key={column} className={ui.checkbox}>
                  <input
                    type="checkbox"
                    checked={sensitive.includes(column)}
                    onChange={(e) => setSensitive((current) => (e.target.checked ? [...current, column] : current.filter((c) => c !== column)))}
                  />
                  {column}
                </label>
              ))}
            </div>
          </fieldset>
        ) : (
          <div className={styles.spacedField}>
            <label htmlFor={`${ids}-sensitive`}>Sensitive attributes</label>
            <input
              id={`${ids}-sensitive`}
              className={ui.input}
              value={sensitiveText}
              maxLength={5000}
              placeholder={format === "parquet" ? "Column names, comma separated" : "Choose a file to pick from its columns"}
              onChange={(e) => setSensitiveText(e.target.value)}
            />
          </div>
        )}
        <div className={ui.field}>
          <label htmlFor={`${ids}-note`}>Note for this version</label>
          <input
            id={`${ids}-note`}
            className={ui.input}
            value={note}
            maxLength={2000}
            placeholder="What changed, e.g. 'March export, duplicates removed'"
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
      </fieldset>

      <div className={ui.toolbar}>
        <button type="submit" className={ui.button} disabled={uploading || scan.state === "scanning"}>
          Register version
        </button>
        <Link href={existingName ? `/datasets/${encodeURIComponent(existingName)}` : "/datasets"}>Back without registering</Link>
      </div>
      {formError ? (
        <p className={ui.error} role="alert">
          {formError}
        </p>
      ) : null}
      <UploadStatus upload={upload} onCancel={() => uploadRef.current?.cancel()} progressLabelId={`${ids}-progress`} />
    </form>
  );
}
