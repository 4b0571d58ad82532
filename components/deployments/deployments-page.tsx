"use client";
// The deployments page: every alias of every model, promotion through the review gate, and each model's alias history.
import { useQuery } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCurrentUser, usePermission } from "@/components/auth/use-permission";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import { useLocaleFormat } from "@/components/ui/use-locale-format";
import ui from "@/components/ui/ui.module.css";
import { aliasChangeText } from "@/lib/monitoring-view";
import type { AliasEvent } from "@/server/monitoring/schema";
import { ModelDigest } from "@/components/models/model-digest";
import { reviewHref } from "@/components/review/review-format";
import { DeploymentsTable } from "./deployments-table";
import styles from "./deployments.module.css";
import { PromoteForm } from "./promote-form";
import { TrafficSection } from "./traffic-section";

export function DeploymentsPage() {
  const trpc = useTRPC();
  const canPromote = usePermission("deployments.promote");
  const me = useCurrentUser();
  const isAdmin = me.data?.actor?.role === "admin";
  const deployments = useQuery(trpc.monitoring.deployments.queryOptions());
  const modelNames = [...new Set(deployments.data?.map((deployment) => deployment.modelName) ?? [])].sort();
  const t = useTranslations("deployments");
  return (
    <>
      <h1>{t("title")}</h1>
      <p className={ui.muted}>
        {t.rich("intro", { code: (chunks) => <code>{chunks}</code>, aliasPath: "/api/serve/<model>@<alias>", productionPath: "/api/serve/<model>" })}
      </p>
      {deployments.error ? (
        <QueryError error={deployments.error} onRetry={() => void deployments.refetch()} />
      ) : deployments.isPending ? (
        <p role="status">{t("loading")}</p>
      ) : deployments.data.length === 0 ? (
        <p className={ui.panel}>{t.rich("empty", { models: (chunks) => <Link href="/models">{chunks}</Link> })}</p>
      ) : (
        <DeploymentsTable deployments={deployments.data} now={deployments.dataUpdatedAt} canPromote={canPromote} />
      )}
      {canPromote ? <PromoteForm isAdmin={isAdmin} /> : <p className={ui.muted}>{t("promoteNeedsRole")}</p>}
      {deployments.data ? <TrafficSection deployments={deployments.data} canPromote={canPromote} /> : null}
      {modelNames.length ? (
        <section aria-labelledby="alias-history-title">
          <h2 id="alias-history-title">{t("history.title")}</h2>
          {modelNames.map((name) => (
            <AliasHistoryDetails key={name} name={name} />
          ))}
        </section>
      ) : null}
    </>
  );
}

const aliasEventKinds = ["set", "delete", "override", "rollback", "upgrade"] as const;

/** A kind the catalogue names; a newer server's kind is shown as it came. */
function isAliasEventKind(kind: string): kind is (typeof aliasEventKinds)[number] {
  return (aliasEventKinds as readonly string[]).includes(kind);
}

/** Loaded when opened: most models' history is never read. */
function AliasHistoryDetails({ name }: { name: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className={styles.history} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{name}</summary>
      {open ? <AliasHistoryLoader name={name} /> : null}
    </details>
  );
}

function AliasHistoryLoader({ name }: { name: string }) {
  const trpc = useTRPC();
  const history = useQuery(trpc.monitoring.aliasHistory.queryOptions({ name }));
  const t = useTranslations("deployments.history");
  if (history.error) return <QueryError error={history.error} onRetry={() => void history.refetch()} />;
  if (history.isPending) return <p role="status">{t("loading", { name })}</p>;
  return <AliasHistoryTable name={name} events={history.data} now={history.dataUpdatedAt} />;
}

export function AliasHistoryTable({ name, events, now }: { name: string; events: readonly AliasEvent[]; now: number }) {
  const t = useTranslations("deployments.history");
  const format = useLocaleFormat();
  if (events.length === 0) return <p className={ui.muted}>{t("empty", { name })}</p>;
  const newestFirst = [...events].sort((a, b) => b.at - a.at);
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table} aria-label={t("label", { name })}>
        <thead>
          <tr>
            <th scope="col">{t("when")}</th>
            <th scope="col">{t("who")}</th>
            <th scope="col">{t("alias")}</th>
            <th scope="col">{t("change")}</th>
            <th scope="col">{t("kind")}</th>
            <th scope="col">{t("bytesAndReview")}</th>
            <th scope="col">{t("reason")}</th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((event, index) => (
            <tr key={`${event.at}-${index}`}>
              <td title={format.timestamp(event.at)}>
                {format.relativeTime(event.at, now)}
                <br />
                <span className={ui.muted}>{format.timestamp(event.at)}</span>
              </td>
              <td>{event.by}</td>
              <td>{event.alias}</td>
              <td>{aliasChangeText(event.previousVersion, event.version)}</td>
              <td>{isAliasEventKind(event.kind) ? t(`kinds.${event.kind}`) : event.kind}</td>
              <td>
                {event.modelDigest ? <ModelDigest digest={event.modelDigest} /> : <span className={ui.muted}>—</span>}
                {event.reviewId ? (
                  <>
                    <br />
                    <Link href={reviewHref(event.reviewId)}>{t("review", { reviewId: String(event.reviewId) })}</Link>
                  </>
                ) : null}
              </td>
              <td className={ui.wrap}>{event.reason ?? <span className={ui.muted}>—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
