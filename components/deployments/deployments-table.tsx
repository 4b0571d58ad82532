"use client";
// Every alias of every model: the version it serves, the bytes (digest) and the approved review that answer for it,
// since when and by whom, its health, and for production a one-click rollback and the way to its monitoring page.
// It fits a 1280 px window without scrolling sideways: cells wrap (long model names anywhere), and who set the alias
// sits under when, in one column.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { modelHref, modelVersionHref } from "@/components/models/model-format";
import { ModelDigest } from "@/components/models/model-digest";
import { reviewHref } from "@/components/review/review-format";
import { HealthFlag } from "@/components/monitoring/health-flag";
import { useTRPC } from "@/components/trpc-provider";
import { useLocaleFormat } from "@/components/ui/use-locale-format";
import ui from "@/components/ui/ui.module.css";
import { monitoringHref } from "@/lib/monitoring-view";
import type { Deployment } from "@/server/monitoring/schema";
import styles from "./deployments.module.css";
import { useErrorText } from "@/components/ui/use-error-text";
import { useServerSentence } from "@/components/ui/use-server-sentence";

/** Production first within a model, so the row that takes traffic is the first one read. */
export function orderDeployments(deployments: readonly Deployment[]): Deployment[] {
  return [...deployments].sort(
    (a, b) => a.modelName.localeCompare(b.modelName) || Number(b.alias === "production") - Number(a.alias === "production") || a.alias.localeCompare(b.alias),
  );
}

export function DeploymentsTable({ deployments, now, canPromote }: { deployments: readonly Deployment[]; now: number; canPromote: boolean }) {
  const say = useServerSentence();
  const t = useTranslations("deployments.table");
  const format = useLocaleFormat();
  return (
    <div className={ui.tableWrap}>
      <table className={`${ui.table} ${styles.fitTable}`} aria-label={t("label")}>
        <thead>
          <tr>
            <th scope="col">{t("model")}</th>
            <th scope="col">{t("alias")}</th>
            <th scope="col">{t("version")}</th>
            <th scope="col">{t("answeredBy")}</th>
            <th scope="col">{t("sinceBy")}</th>
            <th scope="col">{t("health")}</th>
            <th scope="col">{t("actions")}</th>
          </tr>
        </thead>
        <tbody>
          {orderDeployments(deployments).map((deployment) => (
            <tr key={`${deployment.modelName}\u0000${deployment.alias}`}>
              <td className={styles.modelName}>
                <Link href={modelHref(deployment.modelName)}>{deployment.modelName}</Link>
              </td>
              <td>
                <span className={deployment.alias === "production" ? styles.production : undefined}>{deployment.alias}</span>
              </td>
              <td className={styles.nowrap}>
                <Link href={modelVersionHref(deployment.modelName, deployment.version)}>
                  <span className="visually-hidden">{deployment.modelName} </span>v{deployment.version}
                </Link>
              </td>
              <td>
                <ModelDigest digest={deployment.modelDigest ?? null} />
                <br />
                {deployment.reviewId ? (
                  <Link href={reviewHref(deployment.reviewId)}>{t("review", { reviewId: String(deployment.reviewId) })}</Link>
                ) : (
                  <span className={ui.muted}>{t("noApprovedReview")}</span>
                )}
              </td>
              <td>
                {deployment.since === null ? (
                  <span className={ui.muted}>{t("unknown")}</span>
                ) : (
                  <>
                    {format.relativeTime(deployment.since, now)}
                    <br />
                    <span className={ui.muted}>{format.timestamp(deployment.since)}</span>
                  </>
                )}
                <br />
                {deployment.by ? <>{t("by", { user: deployment.by })}</> : <span className={ui.muted}>{t("byNobody")}</span>}
              </td>
              <td className={ui.wrap}>
                {deployment.alias === "production" ? (
                  <HealthFlag reasons={deployment.flagReasons} messages={deployment.flagMessages} showHealthy />
                ) : (
                  <span className={ui.muted}>—</span>
                )}
                {deployment.flagReasons.length ? (
                  <ul className={styles.reasons} aria-hidden="true">
                    {deployment.flagReasons.map((reason, i) => (
                      <li key={reason}>{say(deployment.flagMessages[i], reason)}</li>
                    ))}
                  </ul>
                ) : null}
              </td>
              <td>
                {deployment.alias === "production" ? (
                  <div className={styles.rowActions}>
                    <Link href={monitoringHref(deployment.modelName)}>
                      {t("monitoring")}
                      <span className="visually-hidden">{t("monitoringOf", { model: deployment.modelName })}</span>
                    </Link>
                    <RollbackControl deployment={deployment} canPromote={canPromote} />
                  </div>
                ) : (
                  <span className={ui.muted}>—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One click opens the confirmation; the server points production back and says which version it serves now. */
export function RollbackControl({ deployment, canPromote }: { deployment: Deployment; canPromote: boolean }) {
  const errorText = useErrorText();
  const t = useTranslations("deployments.rollback");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ids = useId();
  const [confirming, setConfirming] = useState(false);
  const rollback = useMutation(
    trpc.monitoring.rollback.mutationOptions({
      onSuccess: async () => {
        setConfirming(false);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.monitoring.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.registry.pathKey() }),
        ]);
      },
    }),
  );
  const previous = deployment.previousVersion;
  if (previous === null) {
    return (
      <span className={styles.disabledAction}>
        <button type="button" className={ui.secondary} disabled aria-describedby={`${ids}-why`}>
          {t("button")}
        </button>
        <span id={`${ids}-why`} className={styles.hint}>
          {t("noPrevious")}
        </span>
      </span>
    );
  }
  if (!canPromote) {
    return (
      <span className={styles.hint}>{t("needsRole", { version: previous })}</span>
    );
  }
  return (
    <span className={styles.rollback}>
      <button type="button" className={ui.danger} onClick={() => setConfirming(true)} disabled={confirming || rollback.isPending} aria-describedby={`${ids}-what`}>
        {t("to", { version: previous })}
      </button>
      <span id={`${ids}-what`} className="visually-hidden">
        {t("serves", { model: deployment.modelName, version: deployment.version })}
      </span>
      {confirming ? (
        <span role="alertdialog" aria-labelledby={`${ids}-confirm`} className={styles.confirm}>
          <span id={`${ids}-confirm`}>
            {t.rich("confirm", { strong: (chunks) => <strong>{chunks}</strong>, model: deployment.modelName, from: deployment.version, to: previous })}
          </span>
          <span className={ui.actions}>
            <button type="button" className={ui.button} autoFocus disabled={rollback.isPending} onClick={() => rollback.mutate({ name: deployment.modelName })}>
              {rollback.isPending ? t("confirming") : t("confirmTo", { version: previous })}
            </button>
            <button type="button" className={ui.secondary} disabled={rollback.isPending} onClick={() => setConfirming(false)}>
              {t("cancel")}
            </button>
          </span>
        </span>
      ) : null}
      {rollback.error ? (
        <span role="alert" className={ui.error}>
          {errorText(rollback.error)}
        </span>
      ) : null}
      {rollback.data ? (
        <span role="status" className={styles.hint}>
          {t("done", { version: String(rollback.data.version) })}
        </span>
      ) : null}
    </span>
  );
}
