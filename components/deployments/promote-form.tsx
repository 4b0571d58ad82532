"use client";
// Promote a version to production: the review gate's verdict first; admins may override it with a reason,
// everyone else is pointed to requesting a review.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { useTRPC } from "@/components/trpc-provider";
import ui from "@/components/ui/ui.module.css";
import { requestReviewHref } from "@/lib/monitoring-view";
import type { ProductionGate } from "@/server/review/schema";
import styles from "./deployments.module.css";
import { useErrorText } from "@/components/ui/use-error-text";
import { useServerSentence } from "@/components/ui/use-server-sentence";

export function PromoteForm({ isAdmin }: { isAdmin: boolean }) {
  const errorText = useErrorText();
  const t = useTranslations("deployments.promote");
  const trpc = useTRPC();
  const ids = useId();
  const [model, setModel] = useState("");
  const [version, setVersion] = useState("");
  const models = useQuery(trpc.registry.listModels.queryOptions({}));
  const detail = useQuery(trpc.registry.model.queryOptions({ name: model }, { enabled: model !== "" }));
  const gate = useQuery(trpc.review.productionGate.queryOptions({ name: model, version }, { enabled: model !== "" && version !== "" }));
  const versions = detail.data?.versions.map((entry) => entry.version) ?? [];
  return (
    <section className={ui.panel} aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className={ui.panelTitle}>
        {t("title")}
      </h2>
      <div className={ui.toolbarFlush}>
        <div className={ui.field}>
          <label htmlFor={`${ids}-model`}>{t("model")}</label>
          <select
            id={`${ids}-model`}
            className={styles.select}
            value={model}
            onChange={(event) => {
              setModel(event.target.value);
              setVersion("");
            }}
          >
            <option value="">{t("chooseModel")}</option>
            {models.data?.map((entry) => (
              <option key={entry.name} value={entry.name}>
                {entry.name}
              </option>
            ))}
          </select>
        </div>
        <div className={ui.field}>
          <label htmlFor={`${ids}-version`}>{t("version")}</label>
          <select id={`${ids}-version`} className={styles.select} value={version} disabled={!model || detail.isPending} onChange={(event) => setVersion(event.target.value)}>
            <option value="">{model && detail.isPending ? t("loadingVersions") : t("chooseVersion")}</option>
            {versions.map((entry) => (
              <option key={entry} value={entry}>
                v{entry}
              </option>
            ))}
          </select>
        </div>
      </div>
      {models.error ? <p role="alert" className={ui.error}>{errorText(models.error)}</p> : null}
      {detail.error ? <p role="alert" className={ui.error}>{errorText(detail.error)}</p> : null}
      {gate.error ? <p role="alert" className={ui.error}>{errorText(gate.error)}</p> : null}
      {gate.isFetching && !gate.data ? <p role="status">{t("checkingGate")}</p> : null}
      {gate.data && model && version ? <PromoteDecision key={`${model}\u0000${version}`} model={model} version={version} gate={gate.data} isAdmin={isAdmin} /> : null}
    </section>
  );
}

/** How many failing criteria the approval accepted (one per criterion, whoever justified it): "with 2 exceptions". */
function exceptionCount(gate: ProductionGate): number {
  return new Set((gate.exceptions ?? []).map((e) => e.criterionKey)).size;
}

/** The gate's message, then the way through it: Promote, an admin's override with a reason, or a review request. */
export function PromoteDecision({ model, version, gate, isAdmin }: { model: string; version: string; gate: ProductionGate; isAdmin: boolean }) {
  const errorText = useErrorText();
  const say = useServerSentence();
  const t = useTranslations("deployments.promote");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [reason, setReason] = useState("");
  const promote = useMutation(
    trpc.monitoring.promote.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.monitoring.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.registry.pathKey() }),
        ]),
    }),
  );
  const overriding = !gate.approved && isAdmin;
  const blocked = !gate.approved && !isAdmin;
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (blocked || (overriding && !reason.trim())) return;
    promote.mutate({ name: model, version, overrideReason: overriding ? reason.trim() : undefined });
  }
  return (
    <form onSubmit={submit} aria-label={t("formLabel", { model, version })}>
      <p className={gate.approved ? styles.gate : styles.gateBlocked} id={`${ids}-gate`}>
        <strong>{gate.approved ? t("gateApproved", { count: exceptionCount(gate) }) : t("gateNotApproved")}</strong>
        {say(gate.messageSentence, gate.message)}
      </p>
      {blocked ? (
        <p>{t.rich("adminOnly", { link: (chunks) => <Link href={requestReviewHref(model, version)}>{chunks}</Link>, model, version })}</p>
      ) : null}
      {overriding ? (
        <div className={ui.field}>
          <label htmlFor={`${ids}-reason`}>{t("overrideReason")}</label>
          <textarea
            id={`${ids}-reason`}
            className={styles.textarea}
            value={reason}
            maxLength={2000}
            required
            aria-describedby={`${ids}-gate`}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
      ) : null}
      {promote.error ? (
        <p role="alert" className={ui.error}>
          {errorText(promote.error)}
        </p>
      ) : null}
      {promote.isSuccess ? (
        <p role="status">{t("done", { model, version })}</p>
      ) : null}
      <p className={ui.actions}>
        <button type="submit" className={ui.button} disabled={blocked || promote.isPending || (overriding && !reason.trim())} aria-describedby={`${ids}-gate`}>
          {promote.isPending ? t("promoting") : t("promote")}
        </button>
      </p>
    </form>
  );
}
