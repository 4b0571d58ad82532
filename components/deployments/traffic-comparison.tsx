"use client";
// The live comparison of production and its canary or shadow, refreshed every few seconds: a table of both routes
// (volume, errors, latency, live metric, value) and sentences for agreement, prediction drift and the test.
import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useTRPC } from "@/components/trpc-provider";
import { useLocaleFormat } from "@/components/ui/use-locale-format";
import ui from "@/components/ui/ui.module.css";
import type { RouteStats, TrafficComparison } from "@/server/deployments/schema";
import { useErrorText } from "@/components/ui/use-error-text";

export function TrafficComparisonView({ name }: { name: string }) {
  const errorText = useErrorText();
  const t = useTranslations("traffic.comparison");
  const trpc = useTRPC();
  const comparison = useQuery(trpc.deployments.comparison.queryOptions({ name }, { refetchInterval: 3_000 }));
  if (comparison.error) return <p role="alert" className={ui.error}>{errorText(comparison.error)}</p>;
  if (comparison.isPending) return null;
  return (
    <section aria-label={t("title")}>
      <h4>{t("title")}</h4>
      {comparison.data.challenger && comparison.data.production ? <ComparisonBody data={comparison.data} production={comparison.data.production} challenger={comparison.data.challenger} /> : <p className={ui.muted}>{t("empty")}</p>}
    </section>
  );
}

function ComparisonBody({ data, production, challenger }: { data: TrafficComparison; production: RouteStats; challenger: RouteStats }) {
  const t = useTranslations("traffic.comparison");
  const format = useFormatter();
  const { timestamp } = useLocaleFormat();
  const pct = (value: number) => format.number(value, { style: "percent", maximumFractionDigits: 1 });
  const ms = (value: number | null) => (value === null ? t("none") : `${format.number(value, { maximumFractionDigits: 2 })} ms`);
  const cells: { label: string; value: (s: RouteStats) => string }[] = [
    { label: t("requests"), value: (s) => format.number(s.requests) },
    { label: t("errors"), value: (s) => (s.errorRate === null ? t("none") : `${format.number(s.errors)} (${pct(s.errorRate)})`) },
    { label: t("latencyP50"), value: (s) => ms(s.latencyP50) },
    { label: t("latencyP99"), value: (s) => ms(s.latencyP99) },
    {
      label: t("liveMetric", { name: production.liveMetric?.name ?? challenger.liveMetric?.name ?? "accuracy" }),
      value: (s) => (s.liveMetric ? `${format.number(s.liveMetric.value, { maximumFractionDigits: 3 })} (${format.number(s.liveMetric.count)})` : t("none")),
    },
    {
      label: t("value"),
      value: (s) =>
        s.realisedPer1000 === null && s.expectedPer1000 === null
          ? t("none")
          : `${s.realisedPer1000 === null ? t("none") : format.number(s.realisedPer1000, { maximumFractionDigits: 0 })} (${s.expectedPer1000 === null ? t("none") : format.number(s.expectedPer1000, { maximumFractionDigits: 0 })})`,
    },
  ];
  return (
    <>
      <div className={ui.tableWrap}>
        <table className={ui.table} aria-label={`Live comparison of ${data.modelName}`}>
          <caption className="visually-hidden">{t("caption", { route: challenger.route, version: challenger.version, since: timestamp(data.from) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("metric")}</th>
              <th scope="col">production v{production.version}</th>
              <th scope="col">
                {challenger.route} v{challenger.version}
              </th>
            </tr>
          </thead>
          <tbody>
            {cells.map((cell) => (
              <tr key={cell.label}>
                <th scope="row">{cell.label}</th>
                <td>{cell.value(production)}</td>
                <td>{cell.value(challenger)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className={ui.muted} data-testid="comparison-window">
        {t("window", { countsFrom: timestamp(data.countsFrom), from: timestamp(data.from) })}
      </p>
      {data.agreement && data.agreement.rate !== null ? <p data-testid="agreement">{t("agreement", { rate: pct(data.agreement.rate), rows: data.agreement.rows })}</p> : null}
      {data.predictionDrift ? (
        <p>
          {t("drift", {
            test: data.predictionDrift.test,
            score: format.number(data.predictionDrift.score, { maximumFractionDigits: 3 }),
            threshold: format.number(data.predictionDrift.threshold, { maximumFractionDigits: 3 }),
            verdict: data.predictionDrift.drifted ? t("drifted") : t("stable"),
          })}
        </p>
      ) : null}
      {data.test ? (
        <p data-testid="comparison-test">
          {t("test", { method: data.test.method === "mcnemar" ? "McNemar" : "two-proportion z", pValue: format.number(data.test.pValue, { maximumSignificantDigits: 3 }), verdict: data.test.significant ? t("significant") : t("notSignificant") })}{" "}
          {data.test.moreRowsNeeded === null ? t("noDifference") : t("moreRows", { count: data.test.moreRowsNeeded })}
        </p>
      ) : null}
      {data.shadowDropped > 0 ? <p className={ui.muted}>{t("dropped", { count: data.shadowDropped })}</p> : null}
    </>
  );
}
