"use client";
// The evaluation report as sections: summary sentences, criteria, metrics with their charts (each with a table or caption), fairness, robustness, importance, edge cases, provenance.
import { useTranslations } from "next-intl";
import { useId, useState, type ReactElement, type ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  ErrorBar,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import ui from "@/components/ui/ui.module.css";
import { edgeCaseName, fairnessSentence, formatNumber, formatPercent, formatPoints, metricLabel as metricLabelIn, robustnessSentence } from "@/lib/review-sentences";
import type { ReviewWords } from "@/lib/review-words";
import type {
  AcceptanceCriteria,
  ClassificationReport,
  CriterionResult,
  EvaluationReport,
  FairnessAttributeReport,
  RegressionReport,
} from "@/server/review/schema";
import { ComparisonSection, NotApplicableBadge } from "./comparison-section";
import { FairnessDetails } from "./fairness-details";
import styles from "./review.module.css";
import { PassFail } from "./status-badge";
import { useMetricFormat, useReviewDates, useReviewWords } from "./use-review-words";

const axis = { tick: { fill: "var(--muted)", fontSize: 11 }, stroke: "var(--border)" };
const tooltipStyle = { background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" };
const seriesColours = ["var(--accent)", "var(--ok)", "var(--danger)", "var(--muted)"];

function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  const generated = useId();
  const headingId = id ?? generated;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

function ChartFigure({ caption, children }: { caption: ReactNode; children: ReactElement }) {
  const captionId = useId();
  return (
    <figure className={styles.figure} aria-labelledby={captionId}>
      <div className={styles.chart} aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
      <figcaption id={captionId} className={styles.caption}>
        {caption}
      </figcaption>
    </figure>
  );
}

export function SummarySentences({ sentences }: { sentences: readonly string[] }) {
  const t = useTranslations("review.report");
  return (
    <Section title={t("summary")}>
      <ul className={`${ui.panel} ${styles.summary}`} aria-label={t("summaryLabel")} data-testid="review-summary">
        {sentences.map((sentence) => (
          <li key={sentence}>{sentence}</li>
        ))}
      </ul>
    </Section>
  );
}

export function CriteriaTable({ results, criteria }: { results: readonly CriterionResult[] | null; criteria: AcceptanceCriteria }) {
  const t = useTranslations("review.report");
  const fmt = useMetricFormat();
  const none = criteria.metricThresholds.length === 0 && !criteria.relativeThresholds?.length && criteria.minExpectedValuePer1000 == null && !criteria.expectedValueAtLeastProduction && criteria.maxGroupGap === null && criteria.maxNoiseDrop === null && !criteria.edgeCasesMustNotCrash;
  return (
    <Section title={t("criteria")}>
      {results === null ? (
        <p className={ui.panel}>{t("criteriaPending")}</p>
      ) : results.length === 0 || none ? (
        <p className={ui.panel}>{t("criteriaNone")}</p>
      ) : (
        <div className={ui.tableWrap}>
          <table className={ui.table} aria-label={t("criteria")} data-testid="review-criteria">
            <thead>
              <tr>
                <th scope="col">{t("criterion")}</th>
                <th scope="col">{t("result")}</th>
                <th scope="col" className={ui.num}>{t("measured")}</th>
                <th scope="col">{t("inWords")}</th>
              </tr>
            </thead>
            <tbody>
              {results.map((result) => (
                <tr key={result.key}>
                  <td>{result.description}</td>
                  <td>
                    {result.notApplicable ? <NotApplicableBadge /> : <PassFail passed={result.passed} />}
                  </td>
                  <td className={ui.num}>{result.actual === null ? "—" : fmt(result.actual)}</td>
                  <td className={ui.wrap}>{result.sentence}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function ClassificationSection({ report }: { report: ClassificationReport }) {
  const t = useTranslations("review.report");
  const fmt = useMetricFormat();
  return (
    <Section title={t("performance")}>
      <div className={ui.tableWrap}>
        <table className={ui.table} aria-label={t("classificationMetrics")}>
          <thead>
            <tr>
              <th scope="col">{t("class")}</th>
              <th scope="col" className={ui.num}>{t("precision")}</th>
              <th scope="col" className={ui.num}>{t("recall")}</th>
              <th scope="col" className={ui.num}>F1</th>
              <th scope="col" className={ui.num}>{t("support")}</th>
            </tr>
          </thead>
          <tbody>
            {report.perClass.map((row) => (
              <tr key={row.className}>
                <th scope="row">{row.className}</th>
                <td className={ui.num}>{fmt(row.precision)}</td>
                <td className={ui.num}>{fmt(row.recall)}</td>
                <td className={ui.num}>{fmt(row.f1)}</td>
                <td className={ui.num}>{row.support}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t("macroAverage")}</th>
              <td className={ui.num}>{fmt(report.macro.precision)}</td>
              <td className={ui.num}>{fmt(report.macro.recall)}</td>
              <td className={ui.num}>{fmt(report.macro.f1)}</td>
              <td className={ui.num}>{report.perClass.reduce((sum, row) => sum + row.support, 0)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <dl className={`${ui.dl} ${ui.panel}`} aria-label={t("overallMetrics")}>
        <dt>{t("accuracy")}</dt>
        <dd>{fmt(report.accuracy)}</dd>
        <dt>ROC AUC</dt>
        <dd>{report.rocAuc === null ? t("rocAucMissing") : fmt(report.rocAuc)}</dd>
        <dt>{t("logLoss")}</dt>
        <dd>{fmt(report.logLoss)}</dd>
      </dl>
      <ConfusionMatrix classes={report.classes} matrix={report.confusionMatrix} />
      <div className={styles.chartGrid}>
        {report.rocCurve ? <RocCurve curve={report.rocCurve} auc={report.rocAuc} /> : null}
        {report.calibration ? <CalibrationCurve calibration={report.calibration} /> : null}
      </div>
    </Section>
  );
}

/** A table whose cells are shaded by their share of the row (true class), so it reads as a heat map and stays a table. */
export function ConfusionMatrix({ classes, matrix }: { classes: readonly string[]; matrix: readonly (readonly number[])[] }) {
  const t = useTranslations("review.report");
  const words = useReviewWords();
  return (
    <>
      <h3>{t("confusionMatrix")}</h3>
      <p className={styles.hint}>{t("confusionHint")}</p>
      <div className={ui.tableWrap}>
        <table className={ui.table} aria-label={t("confusionMatrix")}>
          <thead>
            <tr>
              <th scope="col">{t("truePredicted")}</th>
              {classes.map((name) => (
                <th key={name} scope="col" className={ui.num}>
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.map((row, i) => {
              const total = row.reduce((sum, count) => sum + count, 0);
              return (
                <tr key={classes[i] ?? i}>
                  <th scope="row">{classes[i] ?? i}</th>
                  {row.map((count, j) => {
                    const share = total > 0 ? count / total : 0;
                    return (
                      <td
                        key={j}
                        className={`${styles.heat} ${i === j ? styles.diagonal : ""}`}
                        style={{
                          background: `color-mix(in srgb, ${i === j ? "var(--ok)" : "var(--danger)"} ${Math.round(share * 60)}%, transparent)`,
                        }}
                        title={t("shareOfTrue", { share: formatPercent(share, words), className: classes[i] })}
                      >
                        {count}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function RocCurve({ curve, auc }: { curve: NonNullable<ClassificationReport["rocCurve"]>; auc: number | null }) {
  const t = useTranslations("review.report");
  const fmt = useMetricFormat();
  const words = useReviewWords();

  const points = curve.fpr.map((fpr, i) => ({ fpr, tpr: curve.tpr[i] }));
  return (
    <ChartFigure
      caption={
        <>
          <strong>{t("rocCurve")}</strong> — {auc === null ? t("rocCaption", { count: points.length }) : t("rocCaptionAuc", { count: points.length, auc: formatNumber(auc, 3, words) })}
        </>
      }
    >
      <LineChart data={points} accessibilityLayer={false} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="fpr" type="number" domain={[0, 1]} {...axis} label={{ value: t("falsePositiveRate"), position: "insideBottom", offset: -8, fill: "var(--muted)", fontSize: 11 }} />
        <YAxis type="number" domain={[0, 1]} width={40} {...axis} />
        <Tooltip contentStyle={tooltipStyle} formatter={(value) => (typeof value === "number" ? fmt(value) : String(value))} />
        <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke="var(--muted)" strokeDasharray="4 4" />
        <Line dataKey="tpr" name={t("truePositiveRate")} stroke="var(--accent)" dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartFigure>
  );
}

function CalibrationCurve({ calibration }: { calibration: NonNullable<ClassificationReport["calibration"]> }) {
  const t = useTranslations("review.report");
  const fmt = useMetricFormat();

  const points = calibration.probPred.map((predicted, i) => ({ predicted, observed: calibration.probTrue[i], count: calibration.counts[i] }));
  return (
    <figure className={styles.figure}>
      <div className={styles.chart} aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} accessibilityLayer={false} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="predicted" type="number" domain={[0, 1]} {...axis} label={{ value: t("predictedProbability"), position: "insideBottom", offset: -8, fill: "var(--muted)", fontSize: 11 }} />
            <YAxis type="number" domain={[0, 1]} width={40} {...axis} />
            <Tooltip contentStyle={tooltipStyle} formatter={(value) => (typeof value === "number" ? fmt(value) : String(value))} />
            <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke="var(--muted)" strokeDasharray="4 4" />
            <Line dataKey="observed" name={t("observedShare")} stroke="var(--accent)" isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className={styles.caption}>
        <strong>{t("calibration")}</strong> — {t("calibrationCaption")}
      </figcaption>
      <details>
        <summary>{t("calibrationTable")}</summary>
        <table className={ui.table} aria-label={t("calibrationBins")}>
          <thead>
            <tr>
              <th scope="col" className={ui.num}>{t("meanPredicted")}</th>
              <th scope="col" className={ui.num}>{t("observed")}</th>
              <th scope="col" className={ui.num}>{t("cases")}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point, i) => (
              <tr key={i}>
                <td className={ui.num}>{fmt(point.predicted)}</td>
                <td className={ui.num}>{fmt(point.observed)}</td>
                <td className={ui.num}>{point.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function RegressionSection({ report, label }: { report: RegressionReport; label: string }) {
  const points = report.residuals.predicted.map((predicted, i) => ({ predicted, residual: report.residuals.residual[i] }));
  const t = useTranslations("review.report");
  const fmt = useMetricFormat();
  return (
    <Section title={t("performance")}>
      <dl className={`${ui.dl} ${ui.panel}`} aria-label={t("regressionMetrics")}>
        <dt>RMSE</dt>
        <dd>{fmt(report.rmse)}</dd>
        <dt>MAE</dt>
        <dd>{fmt(report.mae)}</dd>
        <dt>R²</dt>
        <dd>{fmt(report.r2)}</dd>
      </dl>
      {points.length ? (
        <ChartFigure
          caption={
            <>
              <strong>{t("residuals")}</strong> — {t("residualsCaption", { label, count: points.length })}
            </>
          }
        >
          <ScatterChart accessibilityLayer={false} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="predicted" type="number" name={t("predicted")} domain={["auto", "auto"]} {...axis} tickFormatter={fmt} />
            <YAxis dataKey="residual" type="number" name={t("residual")} width={56} {...axis} tickFormatter={fmt} />
            <ReferenceLine y={0} stroke="var(--muted)" />
            <Tooltip contentStyle={tooltipStyle} formatter={(value) => (typeof value === "number" ? fmt(value) : String(value))} />
            <Scatter data={points} fill="var(--accent)" fillOpacity={0.5} isAnimationActive={false} />
          </ScatterChart>
        </ChartFigure>
      ) : null}
    </Section>
  );
}

export function FairnessSection({ fairness, maxGroupGap, task }: { fairness: readonly FairnessAttributeReport[]; maxGroupGap: number | null; task: EvaluationReport["task"] }) {
  const t = useTranslations("review.report");
  return (
    <Section title={t("fairness")}>
      {fairness.length === 0 ? (
        <p className={ui.panel}>{task === "binary" ? t("fairnessNoAttribute") : t("fairnessBinaryOnly")}</p>
      ) : (
        fairness.map((attribute) => <FairnessAttribute key={attribute.attribute} attribute={attribute} maxGroupGap={maxGroupGap} />)
      )}
    </Section>
  );
}

function FairnessAttribute({ attribute, maxGroupGap }: { attribute: FairnessAttributeReport; maxGroupGap: number | null }) {
  const t = useTranslations("review.report");
  const fmt = useMetricFormat();
  const words = useReviewWords();
  const bars = attribute.groups.map((group) => ({
    group: group.group,
    selectionRate: group.selectionRate,
    truePositiveRate: group.truePositiveRate,
    falsePositiveRate: group.falsePositiveRate,
  }));
  return (
    <>
      <h3>{attribute.attribute}</h3>
      <p>{fairnessSentence(attribute, maxGroupGap, words)}</p>
      <ChartFigure caption={<>{t("fairnessCaption", { attribute: attribute.attribute })}</>}>
        <BarChart data={bars} accessibilityLayer={false} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis dataKey="group" {...axis} />
          <YAxis domain={[0, 1]} width={40} {...axis} />
          <Tooltip contentStyle={tooltipStyle} formatter={(value) => (typeof value === "number" ? formatPercent(value, words) : String(value))} />
          <Legend />
          <Bar dataKey="selectionRate" name={t("selectionRate")} fill={seriesColours[0]} isAnimationActive={false} />
          <Bar dataKey="truePositiveRate" name={t("truePositiveRate")} fill={seriesColours[1]} isAnimationActive={false} />
          <Bar dataKey="falsePositiveRate" name={t("falsePositiveRate")} fill={seriesColours[2]} isAnimationActive={false} />
        </BarChart>
      </ChartFigure>
      <div className={ui.tableWrap}>
        <table className={ui.table} aria-label={t("fairnessBy", { attribute: attribute.attribute })}>
          <thead>
            <tr>
              <th scope="col">{t("group")}</th>
              <th scope="col" className={ui.num}>{t("cases")}</th>
              <th scope="col" className={ui.num}>{t("selectionRateTitle")}</th>
              <th scope="col" className={ui.num}>{t("accuracy")}</th>
              <th scope="col" className={ui.num}>{t("truePositiveRateTitle")}</th>
              <th scope="col" className={ui.num}>{t("falsePositiveRateTitle")}</th>
            </tr>
          </thead>
          <tbody>
            {attribute.groups.map((group) => (
              <tr key={group.group}>
                <th scope="row">{group.group}</th>
                <td className={ui.num}>{words.format.number(group.size)}</td>
                <td className={ui.num}>{formatPercent(group.selectionRate, words)}</td>
                <td className={ui.num}>{formatPercent(group.accuracy, words)}</td>
                <td className={ui.num}>{formatPercent(group.truePositiveRate, words)}</td>
                <td className={ui.num}>{formatPercent(group.falsePositiveRate, words)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className={`${ui.dl} ${ui.panel}`} aria-label={t("fairnessMeasures", { attribute: attribute.attribute })}>
        <dt>{t("parityDifference")}</dt>
        <dd>{t("parityDifferenceValue", { value: fmt(attribute.demographicParityDifference), points: formatPoints(attribute.demographicParityDifference, words) })}</dd>
        <dt>{t("parityRatio")}</dt>
        <dd>{fmt(attribute.demographicParityRatio)}</dd>
        <dt>{t("opportunityDifference")}</dt>
        <dd>{t("opportunityDifferenceValue", { value: fmt(attribute.equalOpportunityDifference), points: formatPoints(attribute.equalOpportunityDifference, words) })}</dd>
      </dl>
    </>
  );
}

export function RobustnessSection({ report, maxNoiseDrop }: { report: EvaluationReport; maxNoiseDrop: number | null }) {
  const metric = report.primaryMetric.name;
  const t = useTranslations("review.report");
  const fmt = useMetricFormat();
  const words = useReviewWords();
  const metricLabel = (name: EvaluationReport["primaryMetric"]["name"]) => metricLabelIn(name, words);
  const bars = [
    { label: t("baseline"), value: report.primaryMetric.value },
    ...report.robustness.filter((result) => !result.error).map((result) => ({ label: perturbationLabel(result.perturbation, result.label, t, words), value: result.value })),
  ];
  return (
    <Section title={t("robustness")}>
      {report.robustness.length === 0 ? (
        <p className={ui.panel}>{t("noPerturbation")}</p>
      ) : (
        <>
          <ul>
            {report.robustness.map((result) => (
              <li key={result.perturbation}>{robustnessSentence(result, maxNoiseDrop, words)}</li>
            ))}
          </ul>
          <ChartFigure caption={<>{t("robustnessCaption", { metric: metricLabel(metric) })}</>}>
            <BarChart data={bars} accessibilityLayer={false} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis dataKey="label" {...axis} />
              <YAxis width={48} {...axis} tickFormatter={fmt} />
              <Tooltip contentStyle={tooltipStyle} formatter={(value) => (typeof value === "number" ? fmt(value) : String(value))} />
              <Bar dataKey="value" name={metricLabel(metric)} fill="var(--accent)" isAnimationActive={false} />
            </BarChart>
          </ChartFigure>
          <div className={ui.tableWrap}>
            <table className={ui.table} aria-label={t("robustness")}>
              <thead>
                <tr>
                  <th scope="col">{t("perturbation")}</th>
                  <th scope="col">{t("metric")}</th>
                  <th scope="col" className={ui.num}>{t("value")}</th>
                  <th scope="col" className={ui.num}>{t("worseBy")}</th>
                  <th scope="col">{t("error")}</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">{t("noneBaseline")}</th>
                  <td>{metricLabel(metric)}</td>
                  <td className={ui.num}>{fmt(report.primaryMetric.value)}</td>
                  <td className={ui.num}>—</td>
                  <td />
                </tr>
                {report.robustness.map((result) => (
                  <tr key={result.perturbation}>
                    <th scope="row">{perturbationLabel(result.perturbation, result.label, t, words)}</th>
                    <td>{metricLabel(result.metric)}</td>
                    <td className={ui.num}>{result.error ? "—" : fmt(result.value)}</td>
                    <td className={ui.num}>{result.error ? "—" : fmt(result.drop)}</td>
                    <td className={ui.wrap}>{result.error ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Section>
  );
}

/** A perturbation's name in the reader's words ("Gaussian noise 0.1 std"), else the evaluator's own label. */
function perturbationLabel(perturbation: string, label: string, t: ReturnType<typeof useTranslations<"review.report">>, words: ReviewWords): string {
  const noise = /^noise_([\d.]+)$/.exec(perturbation);
  if (noise) return t("noisePerturbation", { sd: formatNumber(Number(noise[1]), 3, words) });
  const missing = /^missing_(\d+)pct$/.exec(perturbation);
  if (missing) return t("missingPerturbation", { percent: formatPercent(Number(missing[1]) / 100, words) });
  return label;
}

const IMPORTANCE_SHOWN = 15;

export function ImportanceSection({ importance }: { importance: EvaluationReport["importance"] }) {
  const t = useTranslations("review.report");
  const fmt = useMetricFormat();
  const words = useReviewWords();
  const [showAll, setShowAll] = useState(false);
  const sorted = [...importance.features].sort((a, b) => b.mean - a.mean);
  const shown = showAll ? sorted : sorted.slice(0, IMPORTANCE_SHOWN);
  const bars = shown.map((feature) => ({ feature: feature.feature, mean: feature.mean, std: feature.std }));
  return (
    <Section title={t("importance")}>
      {sorted.length === 0 ? (
        <p className={ui.panel}>{t("importanceNone")}</p>
      ) : (
        <>
          <p className={styles.hint}>
            {t("importanceHint", { metric: metricLabelIn(importance.metric, words), baseline: fmt(importance.baseline), repeats: importance.repeats, seed: importance.seed })}
          </p>
          <figure className={styles.figure}>
            <div style={{ height: `${Math.max(160, bars.length * 24 + 40)}px` }} aria-hidden="true">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={bars} layout="vertical" accessibilityLayer={false} margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
                  <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
                  <XAxis type="number" {...axis} tickFormatter={fmt} />
                  <YAxis type="category" dataKey="feature" width={120} {...axis} />
                  <Tooltip contentStyle={tooltipStyle} formatter={(value) => (typeof value === "number" ? fmt(value) : String(value))} />
                  <Bar dataKey="mean" name={t("importanceSeries")} fill="var(--accent)" isAnimationActive={false}>
                    <ErrorBar dataKey="std" direction="x" stroke="var(--text)" width={4} />
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
            <figcaption className={styles.caption}>
              {showAll ? t("importanceAll", { count: sorted.length }) : t("importanceTop", { shown: shown.length, count: sorted.length })}
            </figcaption>
          </figure>
          <div className={ui.tableWrap}>
            <table className={ui.table} aria-label={t("importance")}>
              <thead>
                <tr>
                  <th scope="col">{t("feature")}</th>
                  <th scope="col" className={ui.num}>{t("mean")}</th>
                  <th scope="col" className={ui.num}>{t("std")}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((feature) => (
                  <tr key={feature.feature}>
                    <th scope="row">{feature.feature}</th>
                    <td className={ui.num}>{fmt(feature.mean)}</td>
                    <td className={ui.num}>{fmt(feature.std)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {sorted.length > IMPORTANCE_SHOWN ? (
            <p>
              <button type="button" className={ui.secondary} aria-expanded={showAll} onClick={() => setShowAll(!showAll)}>
                {showAll ? t("showTop", { count: IMPORTANCE_SHOWN }) : t("showAll", { count: sorted.length })}
              </button>
            </p>
          ) : null}
        </>
      )}
    </Section>
  );
}

export function EdgeCasesSection({ edgeCases }: { edgeCases: EvaluationReport["edgeCases"] }) {
  const failed = edgeCases.filter((edge) => !edge.ok).length;
  const t = useTranslations("review.report");
  const words = useReviewWords();
  return (
    <Section title={t("edgeCases")}>
      {edgeCases.length === 0 ? (
        <p className={ui.panel}>{t("edgeNone")}</p>
      ) : (
        <>
          <p>{failed === 0 ? t("edgeAllOk", { count: edgeCases.length }) : t("edgeFailed", { failed, count: edgeCases.length })}</p>
          <div className={ui.tableWrap}>
            <table className={ui.table} aria-label={t("edgeCases")}>
              <thead>
                <tr>
                  <th scope="col">{t("feature")}</th>
                  <th scope="col">{t("case")}</th>
                  <th scope="col">{t("input")}</th>
                  <th scope="col">{t("result")}</th>
                  <th scope="col">{t("output")}</th>
                  <th scope="col">{t("error")}</th>
                </tr>
              </thead>
              <tbody>
                {[...edgeCases]
                  .sort((a, b) => Number(a.ok) - Number(b.ok))
                  .map((edge) => (
                    <tr key={`${edge.feature}:${edge.case}`}>
                      <td>{edge.feature}</td>
                      <td>{edgeCaseName(edge.case, words)}</td>
                      <td>{edge.input === null ? <span className={ui.muted}>{t("missing")}</span> : <code>{String(edge.input)}</code>}</td>
                      <td>
                        <PassFail passed={edge.ok} />
                      </td>
                      <td className={ui.wrap}>{edge.output ?? <span className={ui.muted}>—</span>}</td>
                      <td className={ui.wrap}>{edge.error ?? ""}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Section>
  );
}

export function ProvenanceSection({ report }: { report: EvaluationReport }) {
  const p = report.provenance;
  const t = useTranslations("review.report");
  const words = useReviewWords();
  const dates = useReviewDates();
  return (
    <Section title={t("provenance")}>
      <dl className={`${ui.dl} ${ui.panel}`} aria-label={t("provenance")}>
        <dt>{t("modelDigest")}</dt>
        <dd className={styles.code}>{p.modelDigest}</dd>
        <dt>{t("datasetDigest")}</dt>
        <dd className={styles.code}>{p.datasetDigest}</dd>
        <dt>{t("evaluator")}</dt>
        <dd>{p.evaluatorVersion}</dd>
        <dt>onnxruntime-node</dt>
        <dd>{p.onnxruntimeVersion}</dd>
        <dt>Node.js</dt>
        <dd>{p.nodeVersion}</dd>
        <dt>{t("seed")}</dt>
        <dd>{p.seed}</dd>
        <dt>{t("evaluated")}</dt>
        <dd>{dates.timestamp(p.createdAt)}</dd>
        {typeof report.timings.total === "number" ? (
          <>
            <dt>{t("took")}</dt>
            <dd>{t("seconds", { seconds: formatNumber(report.timings.total / 1000, 1, words) })}</dd>
          </>
        ) : null}
        <dt>{t("rowsEvaluated")}</dt>
        <dd>
          {t.rich("rowsValue", { rows: report.rowCount, label: report.labelColumn, features: report.features.length, code: (chunks) => <code>{chunks}</code> })}
        </dd>
      </dl>
      {report.notes.length ? (
        <ul aria-label={t("notes")}>
          {report.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

/** Every part of the report, in reading order; parts the report lacks say so instead of disappearing. */
export function ReportSections({ report, criteria }: { report: EvaluationReport; criteria: AcceptanceCriteria }) {
  return (
    <>
      {report.classification ? <ClassificationSection report={report.classification} /> : null}
      {report.regression ? <RegressionSection report={report.regression} label={report.labelColumn} /> : null}
      <FairnessSection fairness={report.fairness} maxGroupGap={criteria.maxGroupGap} task={report.task} />
      <FairnessDetails fairness={report.fairness} labelColumn={report.labelColumn} />
      <ComparisonSection comparison={report.comparison} rowCount={report.rowCount} />
      <RobustnessSection report={report} maxNoiseDrop={criteria.maxNoiseDrop} />
      <ImportanceSection importance={report.importance} />
      <EdgeCasesSection edgeCases={report.edgeCases} />
      <ProvenanceSection report={report} />
    </>
  );
}
