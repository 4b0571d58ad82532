"use client";
// The labeller's start page: each model's queue, how many items wait for the signed-in labeller, and its agreement.
import { useQuery } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useTranslations } from "next-intl";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import ui from "@/components/ui/ui.module.css";
import { formatAgreement } from "./labelling-format";

export function LabellingQueues() {
  const trpc = useTRPC();
  const t = useTranslations("labelling.queues");
  const queues = useQuery(trpc.labelling.queues.queryOptions());
  return (
    <>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      {queues.error ? (
        <QueryError error={queues.error} onRetry={() => void queues.refetch()} />
      ) : !queues.data ? (
        <p role="status">…</p>
      ) : queues.data.length === 0 ? (
        <p className={ui.panel}>{t("empty")}</p>
      ) : (
        <div className={ui.tableWrap}>
          <table className={ui.table}>
            <caption>{t("caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("model")}</th>
                <th scope="col" className={ui.num}>
                  {t("waiting")}
                </th>
                <th scope="col" className={ui.num}>
                  {t("perItem")}
                </th>
                <th scope="col">{t("agreement")}</th>
              </tr>
            </thead>
            <tbody>
              {queues.data.map((queue) => (
                <tr key={queue.model}>
                  <th scope="row">
                    <Link href={`/labelling/${encodeURIComponent(queue.model)}`}>{queue.model}</Link>
                  </th>
                  <td className={ui.num}>{queue.waitingForMe}</td>
                  <td className={ui.num}>{queue.labelsRequired}</td>
                  <td>{formatAgreement(queue.progress.agreementRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
