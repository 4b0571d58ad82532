"use client";
// "Register model" for a run's .onnx artifact (writers only): pick or type a model name, describe it, and link to the new version.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useId, useState, type FormEvent } from "react";
import { usePermission } from "@/components/auth/use-permission";
import { useTRPC } from "@/components/trpc-provider";
import ui from "@/components/ui/ui.module.css";
import { useErrorText } from "@/components/ui/use-error-text";
import { modelVersionHref } from "./model-format";
import { suggestedModelName } from "./register-name";
import styles from "./models.module.css";

export function RegisterFromRun({ runId, artifactPath, runName }: { runId: string; artifactPath: string; runName?: string }) {
  const canWrite = usePermission("models.write");
  const [open, setOpen] = useState(false);
  if (!canWrite) return null;
  return (
    <div className={styles.register}>
      {open ? (
        <RegisterForm runId={runId} artifactPath={artifactPath} runName={runName} onClose={() => setOpen(false)} />
      ) : (
        <button type="button" className={ui.button} onClick={() => setOpen(true)}>
          Register model
        </button>
      )}
    </div>
  );
}

function RegisterForm({ runId, artifactPath, runName, onClose }: { runId: string; artifactPath: string; runName?: string; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const errorText = useErrorText();
  const [name, setName] = useState(() => suggestedModelName(artifactPath, runName));
  const [description, setDescription] = useState("");
  // Existing models are offered so a new version lands in the right one instead of a near-duplicate name.
  const models = useQuery(trpc.registry.listModels.queryOptions({}));
  const register = useMutation(
    trpc.registry.registerFromRun.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.registry.pathKey() }),
    }),
  );
  const created = register.data as { name: string; version: string } | undefined;
  const trimmed = name.trim();
  const existing = models.data?.some((model) => model.name === trimmed) ?? false;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!trimmed) return;
    register.mutate({ name: trimmed, runId, artifactPath, description: description.trim() || undefined });
  }
  if (created) {
    return (
      <p className={styles.notice} role="status">
        Registered <Link href={modelVersionHref(created.name, created.version)}>{created.name} version {created.version}</Link>.{" "}
        <button type="button" className={ui.secondary} onClick={onClose}>
          Close
        </button>
      </p>
    );
  }
  return (
    <form className={ui.panel} onSubmit={submit} aria-label={`Register ${artifactPath} as a model`}>
      <h4 className={ui.panelTitle}>
        Register <code>{artifactPath}</code> as a model version
      </h4>
      <div className={ui.field}>
        <label htmlFor={`${ids}-name`}>Model name</label>
        <input
          id={`${ids}-name`}
          className={ui.input}
          value={name}
          list={`${ids}-models`}
          maxLength={500}
          required
          aria-describedby={`${ids}-name-hint`}
          onChange={(event) => setName(event.target.value)}
        />
        <datalist id={`${ids}-models`}>
          {(models.data ?? []).map((model) => (
            <option key={model.name} value={model.name} />
          ))}
        </datalist>
        <p id={`${ids}-name-hint`} className={styles.hint}>
          {trimmed === "" ? "Name the model." : existing ? `Adds a new version to the existing model ${trimmed}.` : `Creates the model ${trimmed}.`}
        </p>
      </div>
      <div className={ui.field}>
        <label htmlFor={`${ids}-description`}>Description (markdown, optional)</label>
        <textarea
          id={`${ids}-description`}
          className={styles.textarea}
          value={description}
          maxLength={10_000}
          onChange={(event) => setDescription(event.target.value)}
        />
      </div>
      {register.error ? (
        <p className={ui.error} role="alert">
          {errorText(register.error)}
        </p>
      ) : null}
      <div className={`${ui.actions} ${styles.register}`}>
        <button type="submit" className={ui.button} disabled={!trimmed || register.isPending}>
          {register.isPending ? "Registering…" : "Register version"}
        </button>
        <button type="button" className={ui.secondary} onClick={onClose} disabled={register.isPending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
