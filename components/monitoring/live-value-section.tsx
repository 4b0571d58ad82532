"use client";
// Monitoring's live value: what production decisions realised per 1,000, from feedback and the approved outcome
// values, beside what the approved review expected at the same threshold.
import { useFormatter, useTranslations } from "next-intl";
import { useId } from "react";
import ui from "@/components/ui/ui.module.css";
import type { LiveValue } from "@/lib/business-value-schema";

export function LiveValueSection({ liveValue }: { liveValue: LiveValue | null | undefined }) {
  const t = useTranslations("value.live");
  const format = useFormatter();
  const headingId = useId();
  if (!liveValue) return null;
  const money = (amount: number) =>
    format.number(amount, { style: "currency", currency: liveValue.currency, minimumFractionDigits: 0, maximumFractionDigits: Math.abs(amount) >= 100 ? 0 : 2 });
  const threshold = liveValue.threshold === null ? "" : format.number(liveValue.threshold, { minimumFractionDigits: 2, maximumFractionDigits: 3 });
  return (
    <section aria-labelledby={headingId} data-testid="live-value">
      <h2 id={headingId}>{t("title")}</h2>
      {liveValue.realisedPer1000 === null ? (
        <p className={ui.muted}>{t("noFeedback")}</p>
      ) : (
        <p data-testid="live-value-realised">
          {liveValue.threshold === null
            ? t("realisedRegression", { count: liveValue.count, amount: money(-liveValue.realisedPer1000) })
            : t("realised", { count: liveValue.count, amount: money(liveValue.realisedPer1000), threshold })}
        </p>
      )}
      {liveValue.expectedPer1000 !== null ? (
        <p data-testid="live-value-expected">{t("expected", { reviewId: liveValue.reviewId, amount: money(liveValue.expectedPer1000) })}</p>
      ) : null}
      {liveValue.counts && liveValue.count > 0 ? <p className={ui.muted}>{t("counts", liveValue.counts)}</p> : null}
    </section>
  );
}
