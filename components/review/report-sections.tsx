"use client";
// The evaluation report as sections: summary sentences, criteria, metrics with their charts (each with a table or caption), fairness, robustness, importance, edge cases, provenance.
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
import { formatMetricValue, formatTimestamp } from "@/components/ui/time-format";
import ui from "@/components/ui/ui.module.css";
import { fairnessSentence, formatNumber, formatPercent, formatPoints, metricLabel, robustnessSentence } from "@/lib/review-sentences";
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

const axis = { tick: { fill: "var(--muted)", fontSize: 11 }, stroke: "var(--border)" };
const tooltipStyle = { background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" };
const seriesColours = ["var(--accent)", "var(--ok)", "var(--danger)", "var(--muted)"];
const fmt = (value: number) => formatMetricValue(value);

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
  return (
    <Section title="Summary">
      <ul className={`${ui.panel} ${styles.summary}`} aria-label="Summary in sentences">
        {sentences.map((sentence) => (
          <li key={sentence}>{sentence}</li>
        ))}
      </ul>
    </Section>
  );
}

export function CriteriaTable({ results, criteria }: { results: readonly CriterionResult[] | null; criteria: AcceptanceCriteria }) {
  const none =
    criteria.metricThresholds.length === 0 && !criteria.relativeThresholds?.length && criteria.maxGroupGap === null && criteria.maxNoiseDrop === null && !criteria.edgeCasesMustNotCrash;
  return (
    <Section title="Acceptance criteria">
      {results === null ? (
        <p className={ui.panel}>The criteria are checked once the evaluation has finished.</p>
      ) : results.length === 0 || none ? (
        <p className={ui.panel}>No acceptance criteria were set: the report is for reading only.</p>
      ) : (
        <div className={ui.tableWrap}>
          <table className={ui.table} aria-label="Acceptance criteria">
            <thead>
              <tr>
                <th scope="col">Criterion</th>
                <th scope="col">Result</th>
                <th scope="col" className={ui.num}>Measured</th>
                <th scope="col">In words</th>
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
  return (
    <Section title="Performance">
      <div className={ui.tableWrap}>
        <table className={ui.table} aria-label="Classification metrics">
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col" className={ui.num}>Precision</th>
              <th scope="col" className={ui.num}>Recall</th>
              <th scope="col" className={ui.num}>F1</th>
              <th scope="col" className={ui.num}>Support</th>
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
              <th scope="row">Macro average</th>
              <td className={ui.num}>{fmt(report.macro.precision)}</td>
              <td className={ui.num}>{fmt(report.macro.recall)}</td>
              <td className={ui.num}>{fmt(report.macro.f1)}</td>
              <td className={ui.num}>{report.perClass.reduce((sum, row) => sum + row.support, 0)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <dl className={`${ui.dl} ${ui.panel}`} aria-label="Overall metrics">
        <dt>Accuracy</dt>
        <dd>{fmt(report.accuracy)}</dd>
        <dt>ROC AUC</dt>
        <dd>{report.rocAuc === null ? "not measured (a class is absent from the labels)" : fmt(report.rocAuc)}</dd>
        <dt>Log loss</dt>
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
  return (
    <>
      <h3>Confusion matrix</h3>
      <p className={styles.hint}>Rows: the true class; columns: what the model predicted. Shading: share of the row.</p>
      <div className={ui.tableWrap}>
        <table className={ui.table} aria-label="Confusion matrix">
          <thead>
            <tr>
              <th scope="col">True \ predicted</th>
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
                        title={`${formatPercent(share)} of true ${classes[i]}`}
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
  const points = curve.fpr.map((fpr, i) => ({ fpr, tpr: curve.tpr[i] }));
  return (
    <ChartFigure
      caption={
        <>
          <strong>ROC curve</strong> — true-positive rate against false-positive rate over {points.length} thresholds
          {auc === null ? "" : `; area under it ${formatNumber(auc, 3)}`}. The diagonal is chance.
        </>
      }
    >
      <LineChart data={points} accessibilityLayer={false} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="fpr" type="number" domain={[0, 1]} {...axis} label={{ value: "false-positive rate", position: "insideBottom", offset: -8, fill: "var(--muted)", fontSize: 11 }} />
        <YAxis type="number" domain={[0, 1]} width={40} {...axis} />
        <Tooltip contentStyle={tooltipStyle} formatter={(value) => (typeof value === "number" ? fmt(value) : String(value))} />
        <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke="var(--muted)" strokeDasharray="4 4" />
        <Line dataKey="tpr" name="true-positive rate" stroke="var(--accent)" dot={false} isAnimationActive={false} />
      </LineChart>
    </ChartFigure>
  );
}

function CalibrationCurve({ calibration }: { calibration: NonNullable<ClassificationReport["calibration"]> }) {
  const points = calibration.probPred.map((predicted, i) => ({ predicted, observed: calibration.probTrue[i], count: calibration.counts[i] }));
  return (
    <figure className={styles.figure}>
      <div className={styles.chart} aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} accessibilityLayer={false} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="predicted" type="number" domain={[0, 1]} {...axis} label={{ value: "predicted probability", position: "insideBottom", offset: -8, fill: "var(--muted)", fontSize: 11 }} />
            <YAxis type="number" domain={[0, 1]} width={40} {...axis} />
            <Tooltip contentStyle={tooltipStyle} formatter={(value) => (typeof value === "number" ? fmt(value) : String(value))} />
            <ReferenceLine segment={[{ x: 0, y: 0 }, { x: 1, y: 1 }]} stroke="var(--muted)" strokeDasharray="4 4" />
            <Line dataKey="observed" name="observed share of positives" stroke="var(--accent)" isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
      <figcaption className={styles.caption}>
        <strong>Calibration</strong> — observed share of positives per bin of predicted probability; on the diagonal the probabilities can be taken at their word.
      </figcaption>
      <details>
        <summary>Calibration as a table</summary>
        <table className={ui.table} aria-label="Calibration bins">
          <thead>
            <tr>
              <th scope="col" className={ui.num}>Mean predicted</th>
              <th scope="col" className={ui.num}>Observed</th>
              <th scope="col" className={ui.num}>Cases</th>
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
  return (
    <Section title="Performance">
      <dl className={`${ui.dl} ${ui.panel}`} aria-label="Regression metrics">
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
              <strong>Residuals</strong> — true {label} minus prediction, against the prediction ({points.length.toLocaleString("en-US")} sampled cases). A band
              around zero with no shape is what a good model leaves.
            </>
          }
        >
          <ScatterChart accessibilityLayer={false} margin={{ top: 8, right: 12, bottom: 16, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="predicted" type="number" name="predicted" domain={["auto", "auto"]} {...axis} tickFormatter={fmt} />
            <YAxis dataKey="residual" type="number" name="residual" width={56} {...axis} tickFormatter={fmt} />
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
  return (
    <Section title="Fairness">
      {fairness.length === 0 ? (
        <p className={ui.panel}>
          {task === "binary"
            ? "No sensitive attribute was chosen, so fairness was not measured. Request a review with sensitive attributes to measure it."
            : "Group fairness (selection rates) is measured for binary classifiers only."}
        </p>
      ) : (
        fairness.map((attribute) => <FairnessAttribute key={attribute.attribute} attribute={attribute} maxGroupGap={maxGroupGap} />)
      )}
    </Section>
  );
}

function FairnessAttribute({ attribute, maxGroupGap }: { attribute: FairnessAttributeReport; maxGroupGap: number | null }) {
  const bars = attribute.groups.map((group) => ({
    group: group.group,
    "selection rate": group.selectionRate,
    "true-positive rate": group.truePositiveRate,
    "false-positive rate": group.falsePositiveRate,
  }));
  return (
    <>
      <h3>{attribute.attribute}</h3>
      <p>{fairnessSentence(attribute, maxGroupGap)}</p>
      <ChartFigure caption={<>Selection rate, true-positive rate and false-positive rate per group of {attribute.attribute}; the table below has the numbers.</>}>
        <BarChart data={bars} accessibilityLayer={false} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis dataKey="group" {...axis} />
          <YAxis domain={[0, 1]} width={40} {...axis} />
          <Tooltip contentStyle={tooltipStyle} formatter={(value) => (typeof value === "number" ? formatPercent(value) : String(value))} />
          <Legend />
          <Bar dataKey="selection rate" fill={seriesColours[0]} isAnimationActive={false} />
          <Bar dataKey="true-positive rate" fill={seriesColours[1]} isAnimationActive={false} />
          <Bar dataKey="false-positive rate" fill={seriesColours[2]} isAnimationActive={false} />
        </BarChart>
      </ChartFigure>
      <div className={ui.tableWrap}>
        <table className={ui.table} aria-label={`Fairness by ${attribute.attribute}`}>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col" className={ui.num}>Cases</th>
              <th scope="col" className={ui.num}>Selection rate</th>
              <th scope="col" className={ui.num}>Accuracy</th>
              <th scope="col" className={ui.num}>True-positive rate</th>
              <th scope="col" className={ui.num}>False-positive rate</th>
            </tr>
          </thead>
          <tbody>
            {attribute.groups.map((group) => (
              <tr key={group.group}>
                <th scope="row">{group.group}</th>
                <td className={ui.num}>{group.size}</td>
                <td className={ui.num}>{formatPercent(group.selectionRate)}</td>
                <td className={ui.num}>{formatPercent(group.accuracy)}</td>
                <td className={ui.num}>{formatPercent(group.truePositiveRate)}</td>
                <td className={ui.num}>{formatPercent(group.falsePositiveRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className={`${ui.dl} ${ui.panel}`} aria-label={`Fairness measures for ${attribute.attribute}`}>
        <dt>Demographic-parity difference</dt>
        <dd>
          {fmt(attribute.demographicParityDifference)} ({formatPoints(attribute.demographicParityDifference)} points)
        </dd>
        <dt>Demographic-parity ratio</dt>
        <dd>{fmt(attribute.demographicParityRatio)}</dd>
        <dt>Equal-opportunity difference</dt>
        <dd>
          {fmt(attribute.equalOpportunityDifference)} ({formatPoints(attribute.equalOpportunityDifference)} points of true-positive rate)
        </dd>
      </dl>
    </>
  );
}

export function RobustnessSection({ report, maxNoiseDrop }: { report: EvaluationReport; maxNoiseDrop: number | null }) {
  const metric = report.primaryMetric.name;
  const bars = [
    { label: "baseline", value: report.primaryMetric.value },
    ...report.robustness.filter((result) => !result.error).map((result) => ({ label: result.label, value: result.value })),
  ];
  return (
    <Section title="Robustness">
      {report.robustness.length === 0 ? (
        <p className={ui.panel}>No perturbation was measured.</p>
      ) : (
        <>
          <ul>
            {report.robustness.map((result) => (
              <li key={result.perturbation}>{robustnessSentence(result, maxNoiseDrop)}</li>
            ))}
          </ul>
          <ChartFigure caption={<>{metricLabel(metric)} on the clean rows and under each perturbation; the table below has the numbers.</>}>
            <BarChart data={bars} accessibilityLayer={false} margin={{ top: 8, right: 12, bottom: 4, left: 0 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis dataKey="label" {...axis} />
              <YAxis width={48} {...axis} tickFormatter={fmt} />
              <Tooltip contentStyle={tooltipStyle} formatter={(value) => (typeof value === "number" ? fmt(value) : String(value))} />
              <Bar dataKey="value" name={metricLabel(metric)} fill="var(--accent)" isAnimationActive={false} />
            </BarChart>
          </ChartFigure>
          <div className={ui.tableWrap}>
            <table className={ui.table} aria-label="Robustness">
              <thead>
                <tr>
                  <th scope="col">Perturbation</th>
                  <th scope="col">Metric</th>
                  <th scope="col" className={ui.num}>Value</th>
                  <th scope="col" className={ui.num}>Worse by</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">none (baseline)</th>
                  <td>{metricLabel(metric)}</td>
                  <td className={ui.num}>{fmt(report.primaryMetric.value)}</td>
                  <td className={ui.num}>—</td>
                  <td />
                </tr>
                {report.robustness.map((result) => (
                  <tr key={result.perturbation}>
                    <th scope="row">{result.label}</th>
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

const IMPORTANCE_SHOWN = 15;

export function ImportanceSection({ importance }: { importance: EvaluationReport["importance"] }) {
  const [showAll, setShowAll] = useState(false);
  const sorted = [...importance.features].sort((a, b) => b.mean - a.mean);
  const shown = showAll ? sorted : sorted.slice(0, IMPORTANCE_SHOWN);
  const bars = shown.map((feature) => ({ feature: feature.feature, mean: feature.mean, std: feature.std }));
  return (
    <Section title="Feature importance">
      {sorted.length === 0 ? (
        <p className={ui.panel}>Permutation importance was not measured.</p>
      ) : (
        <>
          <p className={styles.hint}>
            How much {metricLabel(importance.metric)} ({fmt(importance.baseline)} on the clean rows) worsens when one feature&apos;s values are shuffled; mean ± standard
            deviation over {importance.repeats} repeats, seed {importance.seed}.
          </p>
          <figure className={styles.figure}>
            <div style={{ height: `${Math.max(160, bars.length * 24 + 40)}px` }} aria-hidden="true">
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={bars} layout="vertical" accessibilityLayer={false} margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
                  <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
                  <XAxis type="number" {...axis} tickFormatter={fmt} />
                  <YAxis type="category" dataKey="feature" width={120} {...axis} />
                  <Tooltip contentStyle={tooltipStyle} formatter={(value) => (typeof value === "number" ? fmt(value) : String(value))} />
                  <Bar dataKey="mean" name="importance" fill="var(--accent)" isAnimationActive={false}>
                    <ErrorBar dataKey="std" direction="x" stroke="var(--text)" width={4} />
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </div>
            <figcaption className={styles.caption}>
              {showAll ? `All ${sorted.length} features` : `The ${shown.length} most important of ${sorted.length} features`}; the table below has the numbers.
            </figcaption>
          </figure>
          <div className={ui.tableWrap}>
            <table className={ui.table} aria-label="Feature importance">
              <thead>
                <tr>
                  <th scope="col">Feature</th>
                  <th scope="col" className={ui.num}>Mean</th>
                  <th scope="col" className={ui.num}>Std</th>
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
                {showAll ? `Show the top ${IMPORTANCE_SHOWN}` : `Show all ${sorted.length} features`}
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
  return (
    <Section title="Edge cases">
      {edgeCases.length === 0 ? (
        <p className={ui.panel}>No edge-case inputs were tried.</p>
      ) : (
        <>
          <p>
            {failed === 0 ? `All ${edgeCases.length} inputs were scored.` : `${failed} of ${edgeCases.length} inputs made the model fail; they are listed first.`}
          </p>
          <div className={ui.tableWrap}>
            <table className={ui.table} aria-label="Edge cases">
              <thead>
                <tr>
                  <th scope="col">Feature</th>
                  <th scope="col">Case</th>
                  <th scope="col">Input</th>
                  <th scope="col">Result</th>
                  <th scope="col">Output</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {[...edgeCases]
                  .sort((a, b) => Number(a.ok) - Number(b.ok))
                  .map((edge) => (
                    <tr key={`${edge.feature}:${edge.case}`}>
                      <td>{edge.feature}</td>
                      <td>{edge.case.replaceAll("_", " ")}</td>
                      <td>{edge.input === null ? <span className={ui.muted}>missing</span> : <code>{String(edge.input)}</code>}</td>
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
  return (
    <Section title="Provenance">
      <dl className={`${ui.dl} ${ui.panel}`} aria-label="Provenance">
        <dt>Model SHA-256</dt>
        <dd className={styles.code}>{p.modelDigest}</dd>
        <dt>Dataset SHA-256</dt>
        <dd className={styles.code}>{p.datasetDigest}</dd>
        <dt>Evaluator</dt>
        <dd>{p.evaluatorVersion}</dd>
        <dt>onnxruntime-node</dt>
        <dd>{p.onnxruntimeVersion}</dd>
        <dt>Node.js</dt>
        <dd>{p.nodeVersion}</dd>
        <dt>Seed</dt>
        <dd>{p.seed}</dd>
        <dt>Evaluated</dt>
        <dd>{formatTimestamp(p.createdAt)}</dd>
        {typeof report.timings.total === "number" ? (
          <>
            <dt>Took</dt>
            <dd>{formatNumber(report.timings.total / 1000, 1)} s</dd>
          </>
        ) : null}
        <dt>Rows evaluated</dt>
        <dd>
          {report.rowCount.toLocaleString("en-US")} (label: <code>{report.labelColumn}</code>, {report.features.length} features)
        </dd>
      </dl>
      {report.notes.length ? (
        <ul aria-label="Notes">
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
