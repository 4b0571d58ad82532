"use client";
// Beside the fairness section: how sure the rates are (bootstrap intervals), which groups are too small to trust,
// whether the model sees the sensitive attribute (as an input or a close proxy), and which outcome counts as favourable.
import { useId } from "react";
import { useFormatter, useTranslations } from "next-intl";
import ui from "@/components/ui/ui.module.css";
import type { FairnessAttributeReport } from "@/server/review/schema";
import styles from "./review.module.css";

export function FairnessDetails({ fairness, labelColumn }: { fairness: readonly FairnessAttributeReport[]; labelColumn: string }) {
  const t = useTranslations("fairness");
  const headingId = useId();
  // Reports made before these details existed carry none of them: nothing to add then.
  const detailed = fairness.filter((attribute) => attribute.intervals || attribute.proxies || attribute.smallGroups);
  if (detailed.length === 0) return null;
  return (
    <section aria-labelledby={headingId} data-testid="fairness-details">
      <h2 id={headingId}>{t("title")}</h2>
      {detailed.map((attribute) => (
        <AttributeDetails key={attribute.attribute} attribute={attribute} labelColumn={labelColumn} />
      ))}
    </section>
  );
}

function AttributeDetails({ attribute, labelColumn }: { attribute: FairnessAttributeReport; labelColumn: string }) {
  const t = useTranslations("fairness");
  const format = useFormatter();
  const percent = (value: number) => format.number(value, { style: "percent", maximumFractionDigits: 1 });
  const points = (value: number) => format.number(value * 100, { maximumFractionDigits: 1 });
  const threshold = format.number(attribute.proxyThreshold ?? 0.5, { maximumFractionDigits: 2 });
  const small = attribute.smallGroups ?? [];
  const intervals = attribute.intervals;
  return (
    <>
      <h3>{t("attribute", { attribute: attribute.attribute })}</h3>
      {attribute.favourableOutcome !== undefined ? (
        <p data-testid="favourable-outcome">{t("favourable", { label: labelColumn, value: attribute.favourableOutcome })}</p>
      ) : null}
      {small.length > 0 ? (
        <p className={styles.warning} role="note" data-testid="small-group-warning">
          <span aria-hidden="true">⚠ </span>
          {t("smallGroups", { count: small.length, groups: small.join(", ") })}
        </p>
      ) : null}
      {attribute.proxies ? (
        attribute.proxies.length === 0 ? (
          <p>{t("noProxy", { attribute: attribute.attribute, threshold })}</p>
        ) : (
          <ul aria-label={t("attribute", { attribute: attribute.attribute })}>
            {attribute.proxies.map((proxy) => (
              <li key={proxy.feature} data-testid="proxy-flag" data-feature={proxy.feature} data-measure={proxy.measure}>
                <span aria-hidden="true">⚑ </span>
                {proxy.measure === "direct"
                  ? t("direct", { attribute: attribute.attribute })
                  : t("proxy", {
                      feature: proxy.feature,
                      attribute: attribute.attribute,
                      measure: t(`measures.${proxy.measure}`),
                      strength: format.number(proxy.strength, { maximumFractionDigits: 2 }),
                      threshold,
                    })}
              </li>
            ))}
          </ul>
        )
      ) : null}
      {intervals ? (
        <>
          <div className={ui.tableWrap}>
            <table className={ui.table}>
              <caption className={styles.caption}>
                {t("intervalsCaption", { level: percent(intervals.level), resamples: intervals.resamples })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("columns.group")}</th>
                  <th scope="col" className={ui.num}>{t("columns.selectionRate")}</th>
                  <th scope="col" className={ui.num}>{t("columns.truePositiveRate")}</th>
                  <th scope="col" className={ui.num}>{t("columns.accuracy")}</th>
                </tr>
              </thead>
              <tbody>
                {attribute.groups.map((group) => {
                  const interval = intervals.groups.find((entry) => entry.group === group.group);
                  if (!interval) return null;
                  return (
                    <tr key={group.group} data-testid="fairness-interval" data-group={group.group}>
                      <th scope="row">{group.group}</th>
                      <td className={ui.num}>{t("interval", { estimate: percent(group.selectionRate), lower: percent(interval.selectionRate.lower), upper: percent(interval.selectionRate.upper) })}</td>
                      <td className={ui.num}>
                        {interval.truePositiveRate
                          ? t("interval", { estimate: percent(group.truePositiveRate), lower: percent(interval.truePositiveRate.lower), upper: percent(interval.truePositiveRate.upper) })
                          : t("noPositives")}
                      </td>
                      <td className={ui.num}>{t("interval", { estimate: percent(group.accuracy), lower: percent(interval.accuracy.lower), upper: percent(interval.accuracy.upper) })}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p data-testid="fairness-gap-interval">
            {t("parityGap", {
              estimate: points(attribute.demographicParityDifference),
              lower: points(intervals.demographicParityDifference.lower),
              upper: points(intervals.demographicParityDifference.upper),
            })}
            <br />
            {t("opportunityGap", {
              estimate: points(attribute.equalOpportunityDifference),
              lower: points(intervals.equalOpportunityDifference.lower),
              upper: points(intervals.equalOpportunityDifference.upper),
            })}
          </p>
        </>
      ) : null}
    </>
  );
}
