"use client";
// The models page's upload: drop a .onnx file (or click to choose one), name the model, and it becomes that model's next version.
import { useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useId, useState, type DragEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import ui from "@/components/ui/ui.module.css";
import { modelVersionHref } from "./model-format";
import { modelNameFromFile, onnxFileProblem, readOnnxUploadResponse } from "./onnx-upload-file";
import styles from "./models.module.css";

export function OnnxDropZone({ existingNames }: { existingNames: readonly string[] }) {
  const id = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [registered, setRegistered] = useState<{ name: string; version: string } | null>(null);

  function choose(files: FileList | null) {
    setRegistered(null);
    const chosen = files?.[0];
    if (!chosen) return;
    const problem = files.length > 1 ? "Drop one .onnx file at a time: each becomes one model version." : onnxFileProblem(chosen);
    if (problem) {
      setFile(null);
      setError(problem);
      return;
    }
    setError(null);
    setFile(chosen);
    setName(modelNameFromFile(chosen.name));
  }

  function drop(event: DragEvent<HTMLLabelElement>) {
    event.preventDefault();
    setOver(false);
    choose(event.dataTransfer.files);
  }

  async function upload() {
    if (!file) return;
    const modelName = name.trim();
    if (!modelName) {
      setError("Name the model the file becomes a version of.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(`/api/models/upload?name=${encodeURIComponent(modelName)}`, {
        method: "POST",
        headers: { "content-type": "application/octet-stream" },
        body: file,
      });
      const outcome = readOnnxUploadResponse(response.status, await response.text());
      if (outcome.kind === "error") {
        setError(`${file.name} was not registered: ${outcome.message}`);
        return;
      }
      setRegistered({ name: outcome.name, version: outcome.version });
      setFile(null);
      await queryClient.invalidateQueries({ queryKey: trpc.registry.pathKey() });
    } catch {
      setError(`${file.name} could not be sent: the studio did not answer. Check your connection, then try again.`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={ui.panel} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className={ui.panelTitle}>
        Upload an ONNX model
      </h2>
      <label
        htmlFor={`${id}-file`}
        className={styles.dropZone}
        data-over={over || undefined}
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <strong>Drop a .onnx file here, or click to choose one</strong>
        <span className={styles.hint}>{file ? `Chosen: ${file.name} (${formatBytes(file.size)})` : "It becomes a new version of the model you name."}</span>
      </label>
      <input
        id={`${id}-file`}
        type="file"
        accept=".onnx"
        className="visually-hidden"
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => {
          choose(event.target.files);
          event.target.value = "";
        }}
      />
      {file ? (
        <div className={styles.formRow}>
          <div className={ui.field}>
            <label htmlFor={`${id}-name`}>Model name</label>
            <input
              id={`${id}-name`}
              className={ui.input}
              value={name}
              maxLength={200}
              list={`${id}-names`}
              onChange={(event) => setName(event.target.value)}
            />
            <datalist id={`${id}-names`}>
              {existingNames.map((existing) => (
                <option key={existing} value={existing} />
              ))}
            </datalist>
          </div>
          <button type="button" className={ui.button} onClick={upload} disabled={busy}>
            {busy ? "Uploading…" : existingNames.includes(name.trim()) ? `Add as a version of ${name.trim()}` : "Register model"}
          </button>
          <button type="button" className={ui.secondary} onClick={() => setFile(null)} disabled={busy}>
            Cancel
          </button>
        </div>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className={ui.error} role="alert">
          {error}
        </p>
      ) : null}
      {registered ? (
        <p className={styles.notice} role="status">
          Registered{" "}
          <Link href={modelVersionHref(registered.name, registered.version)}>
            {registered.name} version {registered.version}
          </Link>
          .
        </p>
      ) : null}
    </section>
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
