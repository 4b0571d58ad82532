"use client";
// A model's aliases (champion, challenger, production…): chips with a delete for writers, and a form to point an alias at a version.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import ui from "@/components/ui/ui.module.css";
import { modelVersionHref } from "./model-format";
import styles from "./models.module.css";

const suggestedAliases = ["champion", "challenger", "production", "staging"];

export function AliasEditor({
  name,
  aliases,
  versions,
  canWrite,
}: {
  name: string;
  aliases: readonly { alias: string; version: string }[];
  versions: readonly string[];
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [alias, setAlias] = useState("");
  const [version, setVersion] = useState(versions[0] ?? "");
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.registry.pathKey() });
  const setMutation = useMutation(
    trpc.registry.setAlias.mutationOptions({
      onSuccess: async () => {
        setAlias("");
        await refresh();
      },
    }),
  );
  const deleteMutation = useMutation(trpc.registry.deleteAlias.mutationOptions({ onSuccess: refresh }));
  const trimmed = alias.trim();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!trimmed || !version) return;
    setMutation.mutate({ name, alias: trimmed, version });
  }
  // The server's message is shown as is: it says why (e.g. `production` waiting for a review) and what to do.
  const error = setMutation.error ?? deleteMutation.error;
  return (
    <section className={ui.panel} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className={ui.panelTitle}>
        Aliases
      </h2>
      {aliases.length ? (
        <ul className={styles.chips} aria-label="Aliases">
          {aliases.map((entry) => (
            <li key={entry.alias} className={styles.chip}>
              <span>
                {entry.alias} → <Link href={modelVersionHref(name, entry.version)}>version {entry.version}</Link>
              </span>
              {canWrite ? (
                <button
                  type="button"
                  className={styles.chipButton}
                  aria-label={`Delete alias ${entry.alias}`}
                  title={`Delete alias ${entry.alias}`}
                  disabled={deleteMutation.isPending}
                  onClick={() => deleteMutation.mutate({ name, alias: entry.alias })}
                >
                  ×
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className={ui.muted}>
          No aliases yet. {canWrite ? "Point one at a version below, e.g. champion or challenger." : "An editor can set champion, challenger or production here."}
        </p>
      )}
      {canWrite && versions.length ? (
        <form className={styles.formRow} onSubmit={submit} aria-label="Set an alias">
          <div className={ui.field}>
            <label htmlFor={`${ids}-alias`}>Alias</label>
            <input
              id={`${ids}-alias`}
              className={styles.control}
              value={alias}
              list={`${ids}-suggestions`}
              maxLength={255}
              placeholder="champion"
              onChange={(event) => setAlias(event.target.value)}
            />
            <datalist id={`${ids}-suggestions`}>
              {suggestedAliases.map((suggestion) => (
                <option key={suggestion} value={suggestion} />
              ))}
            </datalist>
          </div>
          <div className={ui.field}>
            <label htmlFor={`${ids}-version`}>Version</label>
            <select id={`${ids}-version`} className={styles.select} value={version} onChange={(event) => setVersion(event.target.value)}>
              {versions.map((v) => (
                <option key={v} value={v}>
                  Version {v}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className={ui.button} disabled={!trimmed || setMutation.isPending}>
            {setMutation.isPending ? "Setting…" : "Set alias"}
          </button>
        </form>
      ) : null}
      {error ? (
        <p className={ui.error} role="alert">
          {error.message}
        </p>
      ) : null}
    </section>
  );
}
