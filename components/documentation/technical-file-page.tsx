"use client";
// A model version's technical file (EU AI Act Annex IV): the generated sections, the model card's free-text sections
// with an edit mode for editors, the card's revision history, and the PDF (in a chosen language) and JSON downloads.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "@/components/ui/intent-link";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { useTRPC } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import ui from "@/components/ui/ui.module.css";
import { isLocale, locales, type Locale } from "@/lib/i18n/locales";
import type { ModelCardSectionKey, TechnicalFile } from "@/server/documentation/schema";
import { modelHref, modelVersionHref } from "@/components/models/model-format";
import styles from "./technical-file.module.css";

export const technicalFileHref = (name: string, version: string | number, kind: "pdf" | "json", lang?: Locale) =>
  `/api/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(String(version))}/technical-file.${kind}${lang ? `?lang=${lang}` : ""}`;

const aliasKinds = ["set", "override", "rollback", "delete", "upgrade"] as const;

export function TechnicalFilePage({ name, version }: { name: string; version: string }) {
  const trpc = useTRPC();
  const t = useTranslations("technicalFile");
  const file = useQuery(trpc.documentation.technicalFile.queryOptions({ name, version }));
  return (
    <div data-testid="technical-file-page">
      <p className={ui.breadcrumb}>
        <Link href="/models">{t("page.models")}</Link> / <Link href={modelHref(name)}>{name}</Link> / <Link href={modelVersionHref(name, version)}>v{version}</Link> /
      </p>
      <h1>{t("title")}</h1>
      {file.error ? (
        <QueryError error={file.error} onRetry={() => void file.refetch()} />
      ) : file.isPending ? (
        <p role="status">{t("page.loading")}</p>
      ) : (
        <TechnicalFileView file={file.data} />
      )}
    </div>
  );
}

function useDate() {
  const format = useFormatter();
  return (ms: number | null | undefined) => (ms ? format.dateTime(new Date(ms), { dateStyle: "medium", timeStyle: "short" }) : "—");
}

export function TechnicalFileView({ file }: { file: TechnicalFile }) {
  const t = useTranslations("technicalFile");
  const format = useFormatter();
  const date = useDate();
  const num = (x: number | null | undefined, digits = 3) => (x === null || x === undefined || !Number.isFinite(x) ? "—" : format.number(x, { maximumFractionDigits: digits }));
  const pct = (x: number) => format.number(x, { style: "percent", maximumFractionDigits: 1 });
  const review = file.oversight.review;
  const ev = file.evaluation;
  const aliasKind = (kind: string) => (aliasKinds.includes(kind as (typeof aliasKinds)[number]) ? t(`monitoring.kinds.${kind as (typeof aliasKinds)[number]}`) : kind);
  const cardBlock = (key: ModelCardSectionKey) => <CardSection key={key} file={file} sectionKey={key} />;
  return (
    <>
      <p>
        {t("subtitle")} — <strong>{t("modelVersion", { name: file.model.name, version: file.model.version })}</strong>
      </p>
      <p>
        {t("page.digestLabel")} <span className={styles.code}>{file.model.digest ?? t("noDigest")}</span>
      </p>
      <p data-testid="card-revision">
        {t("page.currentRevision", { revision: file.card.revision })}
        {file.card.approvedRevision !== null ? ` · ${t("page.approvedWith", { revision: file.card.approvedRevision })}` : ""}
      </p>
      <Downloads file={file} />
      {file.permissions.canEdit ? null : <p className={ui.muted}>{t("page.readOnly")}</p>}

      <Section id="purpose" title={`1. ${t("sections.purpose")}`}>
        {(["intendedPurpose", "intendedUsers", "outOfScopeUses"] as const).map(cardBlock)}
        {file.context ? (
          <dl className={ui.dl}>
            <dt>{t("context.businessGoal")}</dt>
            <dd className={styles.freeText}>{file.context.businessGoal || "—"}</dd>
            <dt>{t("context.expectedRoi")}</dt>
            <dd className={styles.freeText}>{file.context.expectedRoi || "—"}</dd>
          </dl>
        ) : null}
      </Section>

      <Section id="model" title={`2. ${t("sections.model")}`}>
        <dl className={ui.dl}>
          <dt>{t("model.task")}</dt>
          <dd>{t(`model.tasks.${(file.model.task ?? "unknown") as "binary" | "multiclass" | "regression" | "unknown"}`)}</dd>
          <dt>{t("model.inputs")}</dt>
          <dd>{file.model.inputs.join(", ") || "—"}</dd>
          <dt>{t("model.outputs")}</dt>
          <dd>{file.model.outputs.join(", ") || "—"}</dd>
          <dt>{t("model.registeredBy")}</dt>
          <dd>
            {file.model.registeredBy || "—"}, {date(file.model.registeredAt)}
          </dd>
          <dt>{t("model.aliases")}</dt>
          <dd>{file.model.aliases.join(", ") || "—"}</dd>
        </dl>
      </Section>

      <Section id="data" title={`3. ${t("sections.data")}`}>
        <h3>{t("data.trainingData")}</h3>
        {file.data.training.length ? <DatasetTable entries={file.data.training} /> : <p className={ui.muted}>{t("data.noTraining")}</p>}
        <h3>{t("data.evaluationData")}</h3>
        {file.data.evaluation ? <DatasetTable entries={[file.data.evaluation]} /> : <p className={ui.muted}>{t("data.noEvaluation")}</p>}
      </Section>

      <Section id="training" title={`4. ${t("sections.training")}`}>
        {file.training.runId ? (
          <dl className={ui.dl}>
            <dt>{t("training.run")}</dt>
            <dd className={styles.code}>{file.training.runName ? `${file.training.runName} (${file.training.runId})` : file.training.runId}</dd>
            <dt>{t("training.gitCommit")}</dt>
            <dd className={styles.code}>{file.training.code.gitCommit ?? "—"}</dd>
            <dt>{t("training.gitTag")}</dt>
            <dd>{file.training.code.gitTag ?? "—"}</dd>
          </dl>
        ) : (
          <p className={ui.muted}>{t("training.noRun")}</p>
        )}
        {file.training.params.length ? (
          <table className={ui.table} aria-label={t("training.params")}>
            <thead>
              <tr>
                <th scope="col">{t("training.key")}</th>
                <th scope="col">{t("training.value")}</th>
              </tr>
            </thead>
            <tbody>
              {file.training.params.map((p) => (
                <tr key={p.key}>
                  <td>{p.key}</td>
                  <td>{p.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Section>

      <Section id="evaluation" title={`5. ${t("sections.evaluation")}`}>
        {ev ? (
          <>
            <p>
              {t("evaluation.review", {
                id: ev.reviewId,
                status: t(`oversight.statuses.${ev.status}`),
                label: ev.labelColumn,
                rows: ev.rowCount ?? 0,
                date: date(ev.evaluatedAt),
                evaluator: ev.evaluatorVersion ?? "—",
              })}
            </p>
            {ev.criteria.length ? (
              <table className={ui.table} aria-label={t("evaluation.criteria")}>
                <thead>
                  <tr>
                    <th scope="col">{t("evaluation.criterion")}</th>
                    <th scope="col">{t("evaluation.result")}</th>
                    <th scope="col">{t("evaluation.inWords")}</th>
                  </tr>
                </thead>
                <tbody>
                  {ev.criteria.map((c) => (
                    <tr key={c.key}>
                      <td>{c.description}</td>
                      <td>{c.passed ? `✓ ${t("evaluation.pass")}` : `✗ ${t("evaluation.fail")}`}</td>
                      <td className={ui.wrap}>{c.sentence}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className={ui.muted}>{t("evaluation.noCriteria")}</p>
            )}
          </>
        ) : (
          <p className={ui.muted}>{t("evaluation.noReview")}</p>
        )}
      </Section>

      <Section id="fairness" title={`6. ${t("sections.fairness")}`}>
        {file.fairness.attributes.length ? (
          file.fairness.attributes.map((a) => (
            <p key={a.attribute}>
              {t("fairness.gaps", { attribute: a.attribute, dp: num(a.demographicParityDifference), ratio: num(a.demographicParityRatio), eo: num(a.equalOpportunityDifference) })}{" "}
              ({a.groups.map((g) => `${g.group}: ${pct(g.selectionRate)}`).join(", ")})
            </p>
          ))
        ) : (
          <p className={ui.muted}>{file.fairness.sensitiveAttributes.length ? t("fairness.noReport") : t("fairness.noneDeclared")}</p>
        )}
      </Section>

      <Section id="robustness" title={`7. ${t("sections.robustness")}`}>
        {file.robustness.perturbations.length ? (
          <ul>
            {file.robustness.perturbations.map((p) => (
              <li key={p.label}>
                {p.label}: {p.error ? t("robustness.failedToScore", { error: p.error }) : `${p.metric} ${num(p.value, 4)} (${t("robustness.drop")} ${num(p.drop, 4)})`}
              </li>
            ))}
          </ul>
        ) : (
          <p className={ui.muted}>{t("robustness.noReport")}</p>
        )}
        {ev ? <p>{t("robustness.edgeCases", { total: file.robustness.edgeCases.total, failed: file.robustness.edgeCases.failed })}</p> : null}
        {file.robustness.edgeCases.failures.length ? (
          <ul>
            {file.robustness.edgeCases.failures.map((f) => (
              <li key={`${f.feature}:${f.case}`}>{t("robustness.edgeFailure", { feature: f.feature, case: f.case, error: f.error ?? "—" })}</li>
            ))}
          </ul>
        ) : null}
      </Section>

      <Section id="limits" title={`8. ${t("sections.limits")}`}>
        {cardBlock("limits")}
        {file.context ? (
          <div className={styles.block}>
            <div className={styles.blockHead}>
              <h3>{t("context.knownLimits")}</h3>
            </div>
            <p className={styles.freeText}>{file.context.knownLimits || "—"}</p>
          </div>
        ) : null}
      </Section>

      <Section id="oversight" title={`9. ${t("sections.oversight")}`}>
        {cardBlock("humanOversight")}
        {review ? (
          <>
            <p>
              {t("oversight.requested", { id: review.id, by: review.requestedBy, date: date(review.requestedAt), required: review.requiredApprovals, status: t(`oversight.statuses.${review.status}`) })}
            </p>
            {review.decisions.length ? (
              <table className={ui.table} aria-label={t("oversight.decisions")}>
                <thead>
                  <tr>
                    <th scope="col">{t("oversight.reviewer")}</th>
                    <th scope="col">{t("oversight.decision")}</th>
                    <th scope="col">{t("oversight.date")}</th>
                    <th scope="col" className={ui.num}>{t("oversight.criteriaRevision")}</th>
                    <th scope="col" className={ui.num}>{t("oversight.cardRevision")}</th>
                    <th scope="col">{t("oversight.comment")}</th>
                  </tr>
                </thead>
                <tbody>
                  {review.decisions.map((d, i) => (
                    <tr key={i}>
                      <td>{d.reviewer}</td>
                      <td>
                        {t(`oversight.decisionKinds.${d.decision}`)}
                        {d.withdrawal ? ` — ${t("oversight.withdrawn", { by: d.withdrawal.by, date: date(d.withdrawal.at), reason: d.withdrawal.reason })}` : ""}
                        {d.standing === "invalidated" ? ` — ${t("oversight.invalidated")}` : ""}
                      </td>
                      <td>{date(d.createdAt)}</td>
                      <td className={ui.num}>{d.criteriaRevision}</td>
                      <td className={ui.num}>{d.cardRevision ?? "—"}</td>
                      <td className={ui.wrap}>{d.comment}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className={ui.muted}>{t("oversight.noDecision")}</p>
            )}
            <h3>{t("oversight.exceptions")}</h3>
            {review.exceptions.length ? (
              <ul>
                {review.exceptions.map((e, i) => (
                  <li key={i} className={styles.freeText}>
                    {t("oversight.exceptionLine", { criterion: e.criterion, result: e.result.replace(/[.\s]+$/, ""), by: e.approvedBy, justification: e.justification })}
                  </li>
                ))}
              </ul>
            ) : (
              <p className={ui.muted}>{t("oversight.noExceptions")}</p>
            )}
          </>
        ) : (
          <p className={ui.muted}>{t("oversight.noReview")}</p>
        )}
      </Section>

      <Section id="monitoring" title={`10. ${t("sections.monitoring")}`}>
        {cardBlock("monitoringPlan")}
        <p>
          {file.monitoring.configured && file.monitoring.sampleRate !== null && file.monitoring.retentionDays !== null
            ? t("monitoring.settings", { rate: pct(file.monitoring.sampleRate), days: file.monitoring.retentionDays })
            : t("monitoring.notConfigured")}
        </p>
        <p>{t("monitoring.feedback", { count: file.monitoring.feedback.labels, date: date(file.monitoring.feedback.lastAt) })}</p>
        {file.monitoring.aliasHistory.length ? (
          <ul>
            {file.monitoring.aliasHistory.map((e, i) => (
              <li key={i}>
                {date(e.at)} · {e.alias} · {t("monitoring.aliasEvent", { kind: aliasKind(e.kind), previous: e.previousVersion ?? "—", version: e.version ?? "—" })} · {e.actor}
                {e.reason ? ` · ${t("monitoring.reason", { reason: e.reason })}` : ""}
              </li>
            ))}
          </ul>
        ) : (
          <p className={ui.muted}>{t("monitoring.noAliasHistory")}</p>
        )}
      </Section>

      <Section id="history" title={`11. ${t("page.revisionHistory")}`}>
        {file.card.history.length ? (
          <ol reversed>
            {file.card.history.map((h) => (
              <li key={h.revision}>
                {t("history.line", { revision: h.revision, author: h.author, date: date(h.createdAt), changed: h.changed.map((key) => t(`card.${key}`)).join(", ") || "—" })}
                {h.note ? ` — ${t("history.note", { note: h.note })}` : ""}
              </li>
            ))}
          </ol>
        ) : (
          <p className={ui.muted}>{t("history.none")}</p>
        )}
      </Section>
    </>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={`tf-${id}`} data-testid={`technical-file-section-${id}`}>
      <h2 id={`tf-${id}`}>{title}</h2>
      {children}
    </section>
  );
}

function DatasetTable({ entries }: { entries: TechnicalFile["data"]["training"] }) {
  const t = useTranslations("technicalFile");
  const format = useFormatter();
  return (
    <div className={ui.tableWrap}>
      <table className={ui.table}>
        <thead>
          <tr>
            <th scope="col">{t("data.dataset")}</th>
            <th scope="col">{t("data.context")}</th>
            <th scope="col">{t("data.digest")}</th>
            <th scope="col" className={ui.num}>{t("data.rows")}</th>
            <th scope="col">{t("data.piiPolicy")}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((d) => (
            <tr key={`${d.name}:${d.version}:${d.digest}`}>
              <td>{d.version === null ? d.name : `${d.name} v${d.version}`}</td>
              <td>{d.context ?? "—"}</td>
              <td className={styles.code}>{d.digest}</td>
              <td className={ui.num}>{d.rowCount === null ? "—" : format.number(d.rowCount)}</td>
              <td className={ui.wrap}>
                {d.inRegistry
                  ? [
                      d.masking.length ? d.masking.map((m) => t("data.masked", { column: m.column, action: m.action })).join("; ") : t("data.noMasking"),
                      ...d.piiFindings.map((f) => t("data.piiFound", { column: f.column, kind: f.kind, share: format.number(f.share, { style: "percent" }) })),
                    ].join("\n")
                  : t("data.notInRegistry")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One free-text section of the card: its text, and for editors an edit form that saves a new revision. */
function CardSection({ file, sectionKey }: { file: TechnicalFile; sectionKey: ModelCardSectionKey }) {
  const t = useTranslations("technicalFile");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [note, setNote] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const text = file.card.sections[sectionKey];
  const label = t(`card.${sectionKey}`);
  const save = useMutation(
    trpc.documentation.editCard.mutationOptions({
      onSuccess: async (result) => {
        setDraft(null);
        setNote("");
        setMessage(result.changed.length ? t("page.saved", { revision: result.revision }) : t("page.nothingChanged"));
        await queryClient.invalidateQueries({ queryKey: trpc.documentation.technicalFile.queryKey({ name: file.model.name, version: file.model.version }) });
      },
    }),
  );
  return (
    <div className={styles.block} data-testid={`card-section-${sectionKey}`}>
      <div className={styles.blockHead}>
        <h3>
          {label} <span className={styles.origin}>({t("page.freeText")})</span>
        </h3>
        {file.permissions.canEdit && draft === null ? (
          <button type="button" className={ui.secondary} data-testid={`edit-section-${sectionKey}`} aria-label={t("page.editSection", { section: label })} onClick={() => { setDraft(text); setMessage(null); }}>
            {t("page.edit")}
          </button>
        ) : null}
      </div>
      {draft === null ? (
        <>
          {text ? <p className={styles.freeText}>{text}</p> : <p className={ui.muted}>{t("notWritten")}</p>}
          {message ? <p role="status">{message}</p> : null}
        </>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate({ name: file.model.name, version: file.model.version, sections: { [sectionKey]: draft }, baseRevision: file.card.revision, note });
          }}
        >
          <div className={ui.field}>
            <label htmlFor={`${id}-text`}>{label}</label>
            <textarea id={`${id}-text`} className={styles.textarea} value={draft} maxLength={20_000} onChange={(event) => setDraft(event.target.value)} />
          </div>
          <div className={ui.field}>
            <label htmlFor={`${id}-note`}>{t("page.editNote")}</label>
            <input id={`${id}-note`} className={ui.input} value={note} maxLength={2000} onChange={(event) => setNote(event.target.value)} />
          </div>
          {save.error ? <p className={ui.error} role="alert">{save.error.message}</p> : null}
          <p className={ui.actions}>
            <button type="submit" className={ui.button} data-testid="save" disabled={save.isPending}>
              {save.isPending ? t("page.saving") : t("page.save", { revision: file.card.revision + 1 })}
            </button>
            <button type="button" className={ui.secondary} onClick={() => setDraft(null)}>
              {t("page.cancel")}
            </button>
          </p>
        </form>
      )}
    </div>
  );
}

/** PDF in the language the committee asks for (the reader's own by default), and the JSON. */
function Downloads({ file }: { file: TechnicalFile }) {
  const t = useTranslations("technicalFile");
  const current = useLocale();
  const [lang, setLang] = useState<Locale>(isLocale(current) ? current : "en");
  const id = useId();
  return (
    <div className={styles.downloads}>
      <div className={ui.field}>
        <label htmlFor={`${id}-lang`}>{t("page.pdfLanguage")}</label>
        <select id={`${id}-lang`} className={styles.select} data-testid="pdf-language" value={lang} onChange={(event) => isLocale(event.target.value) && setLang(event.target.value)}>
          {locales.map((l) => (
            <option key={l} value={l}>
              {t(`page.languages.${l}`)}
            </option>
          ))}
        </select>
      </div>
      <a className={ui.button} data-testid="download-pdf" href={technicalFileHref(file.model.name, file.model.version, "pdf", lang)} download>
        {t("page.downloadPdf")}
      </a>
      <a className={ui.secondary} data-testid="download-json" href={technicalFileHref(file.model.name, file.model.version, "json")} download>
        {t("page.downloadJson")}
      </a>
    </div>
  );
}
