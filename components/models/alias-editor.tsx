"use client";
// A model's aliases (champion, challenger, production…): chips with a delete for writers (production: admins, with a
// reason, since it takes the model's endpoint offline), and a form to point an alias at a version.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useId, useState, type FormEvent } from "react";
import { useCurrentUser } from "@/components/auth/use-permission";
import { requestReviewHref, reviewHref } from "@/components/review/review-format";
import { useTRPC } from "@/components/trpc-provider";
import ui from "@/components/ui/ui.module.css";
import { modelVersionHref } from "./model-format";
import styles from "./models.module.css";
import { useErrorText } from "@/components/ui/use-error-text";

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
  const errorText = useErrorText();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [alias, setAlias] = useState("");
  const [version, setVersion] = useState(versions[0] ?? "");
  const [overrideReason, setOverrideReason] = useState("");
  const isAdmin = useCurrentUser().data?.actor?.role === "admin";
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.registry.pathKey() });
  const setMutation = useMutation(
    trpc.registry.setAlias.mutationOptions({
      onSuccess: async () => {
        setAlias("");
        setOverrideReason("");
        await refresh();
      },
    }),
  );
  const [removingProduction, setRemovingProduction] = useState(false);
  const deleteMutation = useMutation(
    trpc.registry.deleteAlias.mutationOptions({
      onSuccess: async () => {
        setRemovingProduction(false);
        await refresh();
      },
    }),
  );
  const trimmed = alias.trim();
  // `production` may only point at a version with an approved acceptance review (an admin may override, with a reason).
  const gatesProduction = trimmed === "production" && version !== "";
  const gate = useQuery(trpc.review.productionGate.queryOptions({ name, version }, { enabled: canWrite && gatesProduction }));
  const blocked = gatesProduction && gate.data !== undefined && !gate.data.approved;
  const overriding = blocked && isAdmin;
  const cannotSet = gatesProduction && (gate.isPending || (blocked && (!isAdmin || overrideReason.trim() === "")));
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!trimmed || !version || cannotSet) return;
    setMutation.mutate({ name, alias: trimmed, version, ...(overriding ? { overrideReason: overrideReason.trim() } : {}) });
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
              {canWrite && (entry.alias !== "production" || isAdmin) ? (
                <button
                  type="button"
                  className={styles.chipButton}
                  aria-label={`Delete alias ${entry.alias}`}
                  title={entry.alias === "production" ? "Take the model out of production (admin, with a reason)" : `Delete alias ${entry.alias}`}
                  disabled={deleteMutation.isPending}
                  onClick={() => (entry.alias === "production" ? setRemovingProduction(true) : deleteMutation.mutate({ name, alias: entry.alias }))}
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
      {removingProduction ? (
        <RemoveProductionForm
          name={name}
          pending={deleteMutation.isPending}
          onRemove={(reason) => deleteMutation.mutate({ name, alias: "production", reason })}
          onCancel={() => setRemovingProduction(false)}
        />
      ) : null}
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
          <button type="submit" className={ui.button} disabled={!trimmed || setMutation.isPending || cannotSet}>
            {setMutation.isPending ? "Setting…" : "Set alias"}
          </button>
        </form>
      ) : null}
      {canWrite && gatesProduction ? (
        <ProductionGateNotice
          gate={gate.data}
          loading={gate.isPending}
          error={gate.error}
          name={name}
          version={version}
          isAdmin={isAdmin}
          overrideReason={overrideReason}
          onOverrideReason={setOverrideReason}
          inputId={`${ids}-override`}
        />
      ) : null}
      {error ? (
        <p className={ui.error} role="alert">
          {errorText(error)}
        </p>
      ) : null}
    </section>
  );
}

/** What the review gate says about pointing `production` at the chosen version, and an admin's override reason. */
export function ProductionGateNotice({
  gate,
  loading,
  error,
  name,
  version,
  isAdmin,
  overrideReason,
  onOverrideReason,
  inputId,
}: {
  gate: { approved: boolean; approvedReviewId: number | null; message: string } | undefined;
  loading: boolean;
  error: { message: string } | null;
  name: string;
  version: string;
  isAdmin: boolean;
  overrideReason: string;
  onOverrideReason: (reason: string) => void;
  inputId: string;
}) {
  const errorText = useErrorText();
  if (error) return <p className={ui.error}>Could not check the review gate: {errorText(error)}</p>;
  if (loading || !gate) return <p role="status">Checking the acceptance review of version {version}…</p>;
  if (gate.approved) {
    return (
      <p className={styles.notice} role="status">
        {gate.message}
        {gate.approvedReviewId !== null ? (
          <>
            {" "}
            <Link href={reviewHref(gate.approvedReviewId)}>Review #{gate.approvedReviewId}</Link>
          </>
        ) : null}
      </p>
    );
  }
  return (
    <div className={styles.warning} role="status">
      <p>{gate.message}</p>
      {isAdmin ? (
        <div className={ui.field}>
          <label htmlFor={inputId}>Override the review gate: reason</label>
          <input
            id={inputId}
            className={styles.control}
            value={overrideReason}
            maxLength={2000}
            placeholder="Why this version goes to production without an approved review"
            onChange={(event) => onOverrideReason(event.target.value)}
          />
          <p className={styles.hint}>As an admin you may set it anyway; the reason is recorded in the audit log.</p>
        </div>
      ) : (
        <p>
          <Link href={requestReviewHref(name, version)}>Request a review of version {version}</Link>, or ask an admin to override.
        </p>
      )}
    </div>
  );
}

/** Removing `production` takes the model's default endpoint offline (404): an admin confirms it with a reason, audited. */
export function RemoveProductionForm({
  name,
  pending,
  onRemove,
  onCancel,
}: {
  name: string;
  pending: boolean;
  onRemove: (reason: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [reason, setReason] = useState("");
  return (
    <form
      className={styles.warning}
      aria-label="Take the model out of production"
      onSubmit={(event) => {
        event.preventDefault();
        if (reason.trim()) onRemove(reason.trim());
      }}
    >
      <p>
        Removing the production alias takes {name} out of production: its default endpoint answers 404 until a version is promoted again. To serve an
        earlier version instead, roll back on the Deployments page.
      </p>
      <div className={ui.field}>
        <label htmlFor={`${id}-reason`}>Reason (recorded in the audit log)</label>
        <textarea id={`${id}-reason`} value={reason} maxLength={2000} rows={2} onChange={(event) => setReason(event.target.value)} />
      </div>
      <p className={styles.links}>
        <button type="submit" className={ui.button} disabled={pending || !reason.trim()}>
          {pending ? "Removing…" : "Remove production alias"}
        </button>
        <button type="button" className={ui.secondary} onClick={onCancel}>
          Cancel
        </button>
      </p>
    </form>
  );
}
