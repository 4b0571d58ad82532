"use client";
// The review's "Value" section: expected value in words and figures at the chosen threshold, the baselines, the
// profit curve with the best and chosen thresholds, and (for the requester, before a decision) another threshold
// picked on the curve, saved as a new revision. Every figure names the threshold it uses.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useMemo, useState } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "@/components/trpc-provider";
import ui from "@/components/ui/ui.module.css";
import { curveIndexOf, valueAtThreshold } from "@/lib/business-value";
import type { BinaryValueReport, ValueReport, ValueSettings } from "@/lib/business-value-schema";
import type { ReviewDetail } from "@/server/review/schema";
import styles from "./review.module.css";

const axis = { tick: { fill: "var(--muted)", fontSize: 11 }, stroke: "var(--border)" };
const tooltipStyle = { background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" };

function useMoney(currency: string) {
  const format = useFormatter();
  return {
    // Whole units from 100 up (per-1,000 figures are large); cents below, where they matter.
    money: (amount: number) => format.number(amount, { style: "currency", currency, minimumFractionDigits: 0, maximumFractionDigits: Math.abs(amount) >= 100 ? 0 : 2 }),
    threshold: (value: number) => format.number(value, { maximumFractionDigits: 3, minimumFractionDigits: 2 }),
    count: (value: number) => format.number(value, { maximumFractionDigits: 0 }),
    number: (value: number) => format.number(value, { maximumFractionDigits: 3 }),
  };
}

/** The stored figures when the threshold is the one evaluated; otherwise read from the curve's counts, the interval resampled with the report's seed. */
function storedOrResampled(binary: BinaryValueReport, threshold: number, yearlyVolume: number | null, seed: number) {
  if (Math.abs(threshold - binary.atThreshold.threshold) <= 1e-9) return binary.atThreshold;
  return valueAtThreshold(binary, threshold, yearlyVolume, { seed });
}

export function ValueSection({ review }: { review: ReviewDetail }) {
  const t = useTranslations("value");
  const headingId = useId();
  const value = review.report?.value;
  if (!value) return null;
  return (
    <section aria-labelledby={headingId} data-testid="value-section">
      <h2 id={headingId}>{t("title")}</h2>
      {value.binary ? <BinaryValue review={review} value={value} binary={value.binary} /> : null}
      {value.regression ? <RegressionValue value={value} regression={value.regression} /> : null}
    </section>
  );
}

function RegressionValue({ value, regression }: { value: ValueReport; regression: NonNullable<ValueReport["regression"]> }) {
  const t = useTranslations("value");
  const f = useMoney(value.currency);
  return (
    <>
      <p data-testid="value-sentence">
        {t("regression", {
          cost: f.money(regression.costPerUnitError),
          mae: f.number(regression.meanAbsoluteError),
          amount: f.money(-regression.perThousand),
          lower: f.money(-(regression.interval?.upper ?? regression.perThousand)),
          upper: f.money(-(regression.interval?.lower ?? regression.perThousand)),
        })}
      </p>
      {value.yearlyVolume !== null && regression.perYear !== null ? <p>{t("perYear", { volume: f.count(value.yearlyVolume), amount: f.money(regression.perYear) })}</p> : null}
    </>
  );
}

function BinaryValue({ review, value, binary }: { review: ReviewDetail; value: ValueReport; binary: BinaryValueReport }) {
  const t = useTranslations("value");
  const f = useMoney(value.currency);
  const settings: ValueSettings | null = review.valueSettings ?? null;
  const chosenThreshold = settings?.threshold ?? value.threshold;
  const seed = review.report?.provenance.seed ?? 42;
  const chosen = useMemo(() => storedOrResampled(binary, chosenThreshold, value.yearlyVolume, seed) ?? binary.atThreshold, [binary, chosenThreshold, value.yearlyVolume, seed]);
  const interval = chosen.interval ?? { lower: chosen.perThousand, upper: chosen.perThousand };
  const gain = chosen.perThousand >= 0;
  const canPick = review.permissions.canEditCriteria && review.status !== "evaluating" && review.status !== "approved" && review.status !== "rejected";
  return (
    <>
      <p data-testid="value-sentence">
        {t(gain ? "expectedGain" : "expectedLoss", {
          threshold: f.threshold(chosen.threshold),
          amount: f.money(Math.abs(chosen.perThousand)),
          lower: f.money(interval.lower),
          upper: f.money(interval.upper),
        })}{" "}
        {value.yearlyVolume !== null && chosen.perYear !== null ? t("perYear", { volume: f.count(value.yearlyVolume), amount: f.money(chosen.perYear) }) : null}
      </p>
      <p>{t("baselines", { acceptAll: f.money(binary.acceptAll.perThousand), rejectAll: f.money(binary.rejectAll.perThousand) })}</p>
      <p>{t("best", { threshold: f.threshold(binary.best.threshold), amount: f.money(binary.best.perThousand) })}</p>
      <p className={styles.hint}>
        {t("outcomes", { name: binary.positiveClass, tp: f.money(binary.outcomes.tp), fp: f.money(binary.outcomes.fp), fn: f.money(binary.outcomes.fn), tn: f.money(binary.outcomes.tn) })}
      </p>
      <table className={ui.table} aria-label={t("table.caption")} data-testid="value-table">
        <caption className={styles.caption}>{t("table.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("table.rule")}</th>
            <th scope="col">{t("table.perThousand")}</th>
            <th scope="col">{t("table.perYear")}</th>
          </tr>
        </thead>
        <tbody>
          {(
            [
              ["chosen", t("table.chosen", { threshold: f.threshold(chosen.threshold) }), chosen.perThousand, chosen.perYear],
              ["best", t("table.best", { threshold: f.threshold(binary.best.threshold) }), binary.best.perThousand, binary.best.perYear],
              ["accept-all", t("table.acceptAll"), binary.acceptAll.perThousand, binary.acceptAll.perYear],
              ["reject-all", t("table.rejectAll"), binary.rejectAll.perThousand, binary.rejectAll.perYear],
            ] as const
          ).map(([key, label, perThousand, perYear]) => (
            <tr key={key} data-testid={`value-row-${key}`}>
              <th scope="row">{label}</th>
              <td>{f.money(perThousand)}</td>
              <td>{perYear === null ? <span className={ui.muted}>{t("table.noVolume")}</span> : f.money(perYear)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className={styles.hint}>
        {t("thresholdNote")} {Math.abs(value.threshold - chosen.threshold) > 1e-9 ? t("evaluatedAt", { threshold: f.threshold(value.threshold) }) : null}
      </p>
      <ThresholdPicker review={review} binary={binary} currency={value.currency} chosenThreshold={chosen.threshold} canPick={canPick} yearlyVolume={value.yearlyVolume} />
    </>
  );
}

function ThresholdPicker({
  review,
  binary,
  currency,
  chosenThreshold,
  canPick,
  yearlyVolume,
}: {
  review: ReviewDetail;
  binary: BinaryValueReport;
  currency: string;
  chosenThreshold: number;
  canPick: boolean;
  yearlyVolume: number | null;
}) {
  const t = useTranslations("value");
  const f = useMoney(currency);
  const ids = useId();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState(chosenThreshold);
  const save = useMutation(
    trpc.review.setThreshold.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.review.get.queryKey({ id: review.id }) }) }),
  );
  const points = binary.curve.thresholds.map((threshold, i) => ({ threshold, value: binary.curve.perThousand[i] }));
  const seed = review.report?.provenance.seed ?? 42;
  const preview = useMemo(() => (canPick ? storedOrResampled(binary, picked, yearlyVolume, seed) : null), [binary, picked, yearlyVolume, canPick, seed]);
  const captionId = `${ids}-caption`;
  return (
    <>
      <figure className={styles.figure} aria-labelledby={captionId} data-testid="profit-curve">
        <div className={styles.chart} aria-hidden="true">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart
              data={points}
              accessibilityLayer={false}
              margin={{ top: 8, right: 12, bottom: 16, left: 8 }}
              onClick={(state) => {
                const label = Number((state as { activeLabel?: unknown } | null)?.activeLabel);
                if (canPick && Number.isFinite(label) && curveIndexOf(binary.curve.thresholds, label) >= 0) setPicked(label);
              }}
            >
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis dataKey="threshold" type="number" domain={[0, 1]} {...axis} label={{ value: t("chart.threshold"), position: "insideBottom", offset: -8, fill: "var(--muted)", fontSize: 11 }} />
              <YAxis type="number" width={70} {...axis} tickFormatter={(v: number) => f.money(v)} />
              <Tooltip contentStyle={tooltipStyle} formatter={(v) => (typeof v === "number" ? f.money(v) : String(v))} labelFormatter={(l) => (typeof l === "number" ? f.threshold(l) : String(l))} />
              <ReferenceLine x={binary.best.threshold} stroke="var(--ok)" strokeDasharray="4 4" label={{ value: t("chart.best"), fill: "var(--ok)", fontSize: 11, position: "top" }} />
              <ReferenceLine x={chosenThreshold} stroke="var(--accent)" label={{ value: t("chart.chosen"), fill: "var(--accent)", fontSize: 11, position: "insideTopRight" }} />
              {canPick && Math.abs(picked - chosenThreshold) > 1e-9 ? <ReferenceLine x={picked} stroke="var(--muted)" /> : null}
              <Line dataKey="value" name={t("chart.value")} stroke="var(--accent)" dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
        <figcaption id={captionId} className={styles.caption}>
          {t("chart.caption", { points: points.length })}
        </figcaption>
      </figure>
      {canPick ? (
        <fieldset className={styles.fieldset}>
          <legend>{t("pick.legend")}</legend>
          <p className={styles.hint}>{t("pick.clickHint")}</p>
          <div className={ui.field}>
            <label htmlFor={`${ids}-threshold`}>{t("pick.label")}</label>
            <input
              id={`${ids}-threshold`}
              type="range"
              min={0}
              max={1}
              step={0.01}
              value={picked}
              data-testid="threshold-input"
              aria-valuetext={f.threshold(picked)}
              onChange={(event) => {
                const next = Number(event.target.value);
                if (curveIndexOf(binary.curve.thresholds, next) >= 0) setPicked(next);
              }}
            />
          </div>
          {preview ? (
            <p role="status" data-testid="threshold-preview">
              {t("pick.preview", {
                threshold: f.threshold(preview.threshold),
                amount: f.money(preview.perThousand),
                lower: f.money(preview.interval?.lower ?? preview.perThousand),
                upper: f.money(preview.interval?.upper ?? preview.perThousand),
              })}
            </p>
          ) : null}
          <p className={styles.hint}>{t("pick.warning")}</p>
          <button
            type="button"
            className={ui.button}
            data-testid="use-threshold"
            disabled={save.isPending || Math.abs(picked - chosenThreshold) <= 1e-9}
            onClick={() => save.mutate({ id: review.id, threshold: picked })}
          >
            {save.isPending ? t("pick.saving") : t("pick.use")}
          </button>
          {save.error ? (
            <p className={ui.error} role="alert">
              {save.error.message}
            </p>
          ) : null}
        </fieldset>
      ) : null}
    </>
  );
}
