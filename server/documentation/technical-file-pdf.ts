// Renders a technical file as a PDF a committee can file: title page, table of contents with page numbers, a running
// header (model, version, short digest) and "N / M" footer on every page, the Annex IV sections, the criteria table,
// the sign-off block, and bookmarks. Every heading and fixed sentence comes from the message catalogues, in the
// language asked; the DejaVu fonts are embedded so accents, ≥, ≤ and € print whatever the reader's machine has.
import { readFileSync } from "node:fs";
import path from "node:path";
import PDFDocument from "pdfkit";
import { createFormatter, createTranslator } from "next-intl";
import type { Locale } from "@/lib/i18n/locales";
import { sentenceText, type SentenceTranslator } from "@/lib/i18n/server-sentence";
import { messagesFor } from "@/messages";
import { modelCardSectionKeys, type ModelCardSections, type TechnicalFile } from "./schema";

type Values = Record<string, string | number>;
type Translate = (key: string, values?: Values) => string;

const fontDir = path.join(/* turbopackIgnore: true */ process.cwd(), "node_modules", "dejavu-fonts-ttf", "ttf");
const fontFiles = { body: "DejaVuSans.ttf", bold: "DejaVuSans-Bold.ttf", mono: "DejaVuSansMono.ttf" } as const;
let fontBytes: Record<keyof typeof fontFiles, Buffer> | null = null;

/** The TTF files, read once per process (each PDF embeds the subset of glyphs it uses). */
function loadFonts(): Record<keyof typeof fontFiles, Buffer> {
  fontBytes ??= {
    body: readFileSync(path.join(fontDir, fontFiles.body)),
    bold: readFileSync(path.join(fontDir, fontFiles.bold)),
    mono: readFileSync(path.join(fontDir, fontFiles.mono)),
  };
  return fontBytes;
}

const MARGIN = 50;
const HEADER_SPACE = 62;
const FOOTER_SPACE = 55;
const GREY = "#555555";
const RULE = "#bbbbbb";

interface Column {
  header: string;
  /** Share of the text width. */
  width: number;
  align?: "left" | "right";
}

/** The running parts of the document: flowing text with page breaks that keep headings with what follows. */
class FileWriter {
  readonly doc: PDFKit.PDFDocument;
  readonly width: number;
  /** Section title → 0-based page index where it starts, for the table of contents. */
  readonly toc: { title: string; level: number; page: number }[] = [];

  constructor(doc: PDFKit.PDFDocument) {
    this.doc = doc;
    this.width = doc.page.width - 2 * MARGIN;
  }

  private get bottom(): number {
    return this.doc.page.height - FOOTER_SPACE;
  }

  private currentPage(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count - 1;
  }

  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  heading(title: string, level: 1 | 2 = 1): void {
    this.ensureSpace(level === 1 ? 90 : 60);
    if (level === 1) this.doc.moveDown(0.6);
    else this.doc.moveDown(0.3);
    this.toc.push({ title, level, page: this.currentPage() });
    this.doc.outline.addItem(title);
    this.doc
      .font("bold")
      .fontSize(level === 1 ? 15 : 11.5)
      .fillColor("#000")
      .text(title, MARGIN, this.doc.y, { width: this.width });
    this.doc.moveDown(0.35);
  }

  subheading(title: string): void {
    this.ensureSpace(50);
    this.doc.moveDown(0.3).font("bold").fontSize(10.5).fillColor("#000").text(title, MARGIN, this.doc.y, { width: this.width });
    this.doc.moveDown(0.2);
  }

  paragraph(text: string, options: { color?: string; font?: "body" | "bold" | "mono"; size?: number } = {}): void {
    this.doc
      .font(options.font ?? "body")
      .fontSize(options.size ?? 9.5)
      .fillColor(options.color ?? "#000")
      .text(text, MARGIN, this.doc.y, { width: this.width, lineGap: 1.5 });
    this.doc.moveDown(0.35);
  }

  bullets(lines: string[]): void {
    for (const line of lines) {
      this.doc.font("body").fontSize(9.5).fillColor("#000").text(`•  ${line}`, MARGIN + 8, this.doc.y, { width: this.width - 8, lineGap: 1.5 });
      this.doc.moveDown(0.15);
    }
    this.doc.moveDown(0.2);
  }

  /** Free text a person wrote: printed as written (line breaks kept), or a grey "not written yet". */
  freeText(label: string, text: string, empty: string): void {
    this.subheading(label);
    if (text.trim()) this.paragraph(text);
    else this.paragraph(empty, { color: GREY });
  }

  keyValues(rows: [string, string][]): void {
    this.table(
      [
        { header: "", width: 0.3 },
        { header: "", width: 0.7 },
      ],
      rows,
      { header: false, boldFirst: true },
    );
  }

  table(columns: Column[], rows: string[][], options: { header?: boolean; boldFirst?: boolean; mono?: number[] } = {}): void {
    const doc = this.doc;
    const showHeader = options.header ?? true;
    const widths = columns.map((c) => c.width * this.width);
    const pad = 4;
    const size = 8.5;
    const cellFont = (col: number, header: boolean) => (header || (options.boldFirst && col === 0) ? "bold" : options.mono?.includes(col) ? "mono" : "body");
    const rowHeight = (cells: string[], header: boolean) =>
      Math.max(
        ...cells.map((cell, i) => {
          doc.font(cellFont(i, header)).fontSize(size);
          return doc.heightOfString(cell || " ", { width: widths[i]! - 2 * pad });
        }),
      ) +
      2 * pad;
    const drawRow = (cells: string[], header: boolean) => {
      const height = rowHeight(cells, header);
      if (doc.y + height > this.bottom) {
        doc.addPage();
        if (showHeader && !header) drawRow(columns.map((c) => c.header), true);
      }
      const top = doc.y;
      if (header) doc.rect(MARGIN, top, this.width, height).fill("#eeeeee");
      let x = MARGIN;
      cells.forEach((cell, i) => {
        doc
          .font(cellFont(i, header))
          .fontSize(size)
          .fillColor("#000")
          .text(cell, x + pad, top + pad, { width: widths[i]! - 2 * pad, align: columns[i]!.align ?? "left", lineGap: 0.5 });
        x += widths[i]!;
      });
      doc
        .moveTo(MARGIN, top + height)
        .lineTo(MARGIN + this.width, top + height)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
      doc.x = MARGIN;
      doc.y = top + height;
    };
    if (showHeader) drawRow(columns.map((c) => c.header), true);
    for (const row of rows) drawRow(row, false);
    doc.moveDown(0.6);
  }
}

function shortDigest(digest: string | null): string {
  return digest ? digest.slice(0, 12) : "—";
}

export interface PdfOptions {
  locale: Locale;
}

export async function renderTechnicalFilePdf(file: TechnicalFile, options: PdfOptions): Promise<Buffer> {
  const locale = options.locale;
  const t = createTranslator({ locale, messages: messagesFor(locale), namespace: "technicalFile" }) as unknown as Translate;
  const said = createTranslator({ locale, messages: messagesFor(locale), namespace: "sentences" }) as unknown as SentenceTranslator;
  const format = createFormatter({ locale, timeZone: "UTC" });
  const date = (ms: number | null | undefined) => (ms ? format.dateTime(new Date(ms), { dateStyle: "long", timeStyle: "short" }) : "—");
  const num = (x: number | null | undefined, digits = 3) => (x === null || x === undefined || !Number.isFinite(x) ? "—" : format.number(x, { maximumFractionDigits: digits }));
  const pct = (x: number) => format.number(x, { style: "percent", maximumFractionDigits: 1 });
  const aliasKind = (kind: string) => (["set", "override", "rollback", "delete", "upgrade"].includes(kind) ? t(`monitoring.kinds.${kind}`) : kind);
  const list = (items: string[]) => (items.length ? format.list(items, { type: "conjunction" }) : t("none"));

  const fonts = loadFonts();
  const doc = new PDFDocument({
    size: "A4",
    bufferPages: true,
    autoFirstPage: false,
    // The default font is a DejaVu path too, so pdfkit never loads its Helvetica metrics (which lack ≥, ≤ and €).
    font: path.join(fontDir, fontFiles.body),
    margins: { top: HEADER_SPACE, bottom: FOOTER_SPACE, left: MARGIN, right: MARGIN },
    info: {
      Title: `${t("title")} — ${file.model.name} v${file.model.version}`,
      Subject: t("subtitle"),
      Creator: "ModelOps Studio",
      Producer: "ModelOps Studio (pdfkit)",
      CreationDate: new Date(file.generatedAt),
    },
    lang: locale,
    displayTitle: true,
  });
  doc.registerFont("body", fonts.body);
  doc.registerFont("bold", fonts.bold);
  doc.registerFont("mono", fonts.mono);
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  // ---- title page
  doc.addPage();
  const w = new FileWriter(doc);
  const review = file.oversight.review;
  const approved = review?.status === "approved";
  doc.y = 190;
  doc.font("bold").fontSize(28).fillColor("#000").text(t("title"), MARGIN, doc.y, { width: w.width });
  doc.moveDown(0.3).font("body").fontSize(12).fillColor(GREY).text(t("subtitle"), { width: w.width });
  doc.moveDown(2).font("bold").fontSize(18).fillColor("#000").text(t("modelVersion", { name: file.model.name, version: file.model.version }), { width: w.width });
  doc.moveDown(0.6).font("body").fontSize(10).text(t("digestLabel"));
  doc.font("mono").fontSize(9.5).text(file.model.digest ?? t("noDigest"), { width: w.width });
  doc.moveDown(1.2).font("body").fontSize(10.5);
  if (approved && review) {
    doc.text(t("approvalLine", { review: review.id, date: date(review.decidedAt), revision: file.card.approvedRevision ?? 0 }), { width: w.width });
  } else {
    doc.text(t("notApproved"), { width: w.width });
  }
  doc.moveDown(0.4).text(file.card.revision ? t("cardRevisionBy", { revision: file.card.revision, author: file.card.author ?? "", date: date(file.card.updatedAt) }) : t("cardRevisionNone"), {
    width: w.width,
  });
  doc.moveDown(0.4).fillColor(GREY).text(t("generatedAt", { date: date(file.generatedAt) }), { width: w.width });

  // ---- contents page, filled in once the sections know their pages
  doc.addPage();
  const tocPage = doc.bufferedPageRange().count - 1;
  doc.outline.addItem(t("contents"));

  // ---- sections
  doc.addPage();
  let n = 0;
  const section = (key: string) => `${++n}. ${t(`sections.${key}`)}`;

  w.heading(section("purpose"));
  w.freeText(t("card.intendedPurpose"), file.card.sections.intendedPurpose, t("notWritten"));
  w.freeText(t("card.intendedUsers"), file.card.sections.intendedUsers, t("notWritten"));
  w.freeText(t("card.outOfScopeUses"), file.card.sections.outOfScopeUses, t("notWritten"));
  if (file.context) {
    w.freeText(t("context.businessGoal"), file.context.businessGoal, t("notWritten"));
    w.freeText(t("context.expectedRoi"), file.context.expectedRoi, t("notWritten"));
  }

  w.heading(section("model"));
  const task = file.model.task ?? "unknown";
  w.keyValues([
    [t("model.name"), file.model.name],
    [t("model.version"), file.model.version],
    [t("digestLabel"), file.model.digest ?? t("noDigest")],
    [t("model.task"), t(`model.tasks.${task}`)],
    [t("model.inputs"), file.model.inputs.join(", ") || "—"],
    [t("model.outputs"), file.model.outputs.join(", ") || "—"],
    [t("model.registeredBy"), file.model.registeredBy || "—"],
    [t("model.registeredAt"), date(file.model.registeredAt)],
    [t("model.stage"), file.model.stage],
    [t("model.aliases"), file.model.aliases.join(", ") || "—"],
  ]);
  if (file.model.description.trim()) w.freeText(t("model.description"), file.model.description, t("notWritten"));

  w.heading(section("data"));
  const datasetRows = (entries: TechnicalFile["data"]["training"]) =>
    entries.map((d) => [
      d.version === null ? d.name : `${d.name} v${d.version}`,
      d.context ?? "—",
      d.digest,
      d.rowCount === null ? "—" : num(d.rowCount, 0),
      d.columnCount === null ? "—" : num(d.columnCount, 0),
      d.inRegistry
        ? [
            d.masking.length ? d.masking.map((m) => t("data.masked", { column: m.column, action: m.action })).join("; ") : t("data.noMasking"),
            ...d.piiFindings.map((f) => t("data.piiFound", { column: f.column, kind: f.kind, share: pct(f.share) })),
          ].join("\n")
        : t("data.notInRegistry"),
    ]);
  const datasetColumns: Column[] = [
    { header: t("data.dataset"), width: 0.17 },
    { header: t("data.context"), width: 0.11 },
    { header: t("data.digest"), width: 0.26 },
    { header: t("data.rows"), width: 0.1, align: "right" },
    { header: t("data.columns"), width: 0.12, align: "right" },
    { header: t("data.piiPolicy"), width: 0.24 },
  ];
  w.subheading(t("data.trainingData"));
  if (file.data.training.length) w.table(datasetColumns, datasetRows(file.data.training), { mono: [2] });
  else w.paragraph(t("data.noTraining"), { color: GREY });
  w.subheading(t("data.evaluationData"));
  if (file.data.evaluation) {
    w.table(datasetColumns, datasetRows([file.data.evaluation]), { mono: [2] });
    if (file.data.evaluation.mostMissing.length) {
      w.paragraph(`${t("data.mostMissing")}: ${file.data.evaluation.mostMissing.map((m) => `${m.column} (${pct(m.share)})`).join(", ")}`);
    }
  } else w.paragraph(t("data.noEvaluation"), { color: GREY });

  w.heading(section("training"));
  const tr = file.training;
  if (tr.runId) {
    w.keyValues([
      [t("training.run"), tr.runName ? `${tr.runName} (${tr.runId})` : tr.runId],
      [t("training.experiment"), tr.experimentId ?? "—"],
      [t("training.gitCommit"), tr.code.gitCommit ?? "—"],
      [t("training.gitTag"), tr.code.gitTag ?? "—"],
      [t("training.gitBranch"), tr.code.gitBranch ?? "—"],
      [t("training.source"), tr.code.source ?? "—"],
    ]);
    if (!tr.code.gitCommit && !tr.code.gitTag) w.paragraph(t("training.noCode"), { color: GREY });
  } else w.paragraph(t("training.noRun"), { color: GREY });
  if (tr.derivedFrom) w.paragraph(t("training.derivedFrom", { version: tr.derivedFrom.version, transform: tr.derivedFrom.transform }));
  if (tr.params.length) {
    w.subheading(t("training.params"));
    w.table([{ header: t("training.key"), width: 0.4 }, { header: t("training.value"), width: 0.6 }], tr.params.map((p) => [p.key, p.value]));
  }
  if (tr.metrics.length) {
    w.subheading(t("training.metrics"));
    w.table(
      [{ header: t("training.key"), width: 0.4 }, { header: t("training.value"), width: 0.6, align: "right" }],
      tr.metrics.map((m) => [m.key, num(m.value, 4)]),
    );
  }

  w.heading(section("evaluation"));
  const ev = file.evaluation;
  if (ev) {
    w.paragraph(
      t("evaluation.review", {
        id: ev.reviewId,
        status: t(`oversight.statuses.${ev.status}`),
        label: ev.labelColumn,
        rows: ev.rowCount ?? 0,
        date: date(ev.evaluatedAt),
        evaluator: ev.evaluatorVersion ?? "—",
      }),
    );
    if (ev.trainingOverlap) w.paragraph(t("evaluation.overlap", { text: ev.trainingOverlap }), { color: "#8a4b00" });
    if (ev.metrics.length) {
      w.subheading(t("evaluation.metrics"));
      w.table([{ header: t("evaluation.metric"), width: 0.5 }, { header: t("evaluation.value"), width: 0.5, align: "right" }], ev.metrics.map((m) => [m.name, num(m.value, 4)]));
    }
    w.subheading(t("evaluation.criteria"));
    if (ev.criteria.length) {
      w.table(
        [
          { header: t("evaluation.criterion"), width: 0.3 },
          { header: t("evaluation.result"), width: 0.12 },
          { header: t("evaluation.inWords"), width: 0.58 },
        ],
        ev.criteria.map((c) => [c.description, c.passed ? `✓ ${t("evaluation.pass")}` : `✗ ${t("evaluation.fail")}`, c.sentence]),
      );
    } else w.paragraph(t("evaluation.noCriteria"), { color: GREY });
    if (ev.notes.length) {
      w.subheading(t("evaluation.notes"));
      w.bullets(ev.notes);
    }
  } else w.paragraph(t("evaluation.noReview"), { color: GREY });

  w.heading(section("fairness"));
  const fair = file.fairness;
  w.paragraph(fair.sensitiveAttributes.length ? t("fairness.attributes", { list: list(fair.sensitiveAttributes) }) : t("fairness.noneDeclared"));
  if (fair.attributes.length) {
    for (const a of fair.attributes) {
      w.paragraph(t("fairness.gaps", { attribute: a.attribute, dp: num(a.demographicParityDifference), ratio: num(a.demographicParityRatio), eo: num(a.equalOpportunityDifference) }));
    }
    w.table(
      [
        { header: t("fairness.attribute"), width: 0.22 },
        { header: t("fairness.group"), width: 0.22 },
        { header: t("fairness.cases"), width: 0.16, align: "right" },
        { header: t("fairness.selectionRate"), width: 0.2, align: "right" },
        { header: t("fairness.tpr"), width: 0.2, align: "right" },
      ],
      fair.attributes.flatMap((a) => a.groups.map((g) => [a.attribute, g.group, num(g.size, 0), pct(g.selectionRate), pct(g.truePositiveRate)])),
    );
  } else w.paragraph(t("fairness.noReport"), { color: GREY });

  w.heading(section("robustness"));
  const rob = file.robustness;
  if (rob.perturbations.length) {
    w.table(
      [
        { header: t("robustness.perturbation"), width: 0.3 },
        { header: t("robustness.metric"), width: 0.15 },
        { header: t("robustness.value"), width: 0.4, align: "right" },
        { header: t("robustness.drop"), width: 0.15, align: "right" },
      ],
      rob.perturbations.map((p) => [p.label, p.metric, p.error ? t("robustness.failedToScore", { error: p.error }) : num(p.value, 4), p.error ? "—" : num(p.drop, 4)]),
    );
  } else w.paragraph(t("robustness.noReport"), { color: GREY });
  if (ev) {
    w.paragraph(t("robustness.edgeCases", { total: rob.edgeCases.total, failed: rob.edgeCases.failed }));
    if (rob.edgeCases.failures.length) w.bullets(rob.edgeCases.failures.map((f) => t("robustness.edgeFailure", { feature: f.feature, case: f.case, error: f.error ?? "—" })));
  }

  w.heading(section("limits"));
  w.freeText(t("card.limits"), file.card.sections.limits, t("notWritten"));
  if (file.context) w.freeText(t("context.knownLimits"), file.context.knownLimits, t("notWritten"));

  w.heading(section("oversight"));
  w.freeText(t("card.humanOversight"), file.card.sections.humanOversight, t("notWritten"));
  if (review) {
    w.subheading(t("oversight.otherReviews"));
    w.bullets(file.oversight.allReviews.map((r) => `#${r.id} — ${t(`oversight.statuses.${r.status}`)} (${r.requestedBy}, ${date(r.createdAt)})`));
    w.paragraph(t("oversight.requested", { id: review.id, by: review.requestedBy, date: date(review.requestedAt), required: review.requiredApprovals, status: t(`oversight.statuses.${review.status}`) }));
    if (approved) {
      w.paragraph(t("approvalLine", { review: review.id, date: date(review.decidedAt), revision: file.card.approvedRevision ?? 0 }), { font: "bold" });
    }
    w.subheading(t("oversight.decisions"));
    if (review.decisions.length) {
      w.table(
        [
          { header: t("oversight.reviewer"), width: 0.14 },
          { header: t("oversight.decision"), width: 0.2 },
          { header: t("oversight.date"), width: 0.18 },
          { header: t("oversight.criteriaRevision"), width: 0.1, align: "right" },
          { header: t("oversight.cardRevision"), width: 0.1, align: "right" },
          { header: t("oversight.comment"), width: 0.28 },
        ],
        review.decisions.map((d) => [
          d.reviewer,
          [
            t(`oversight.decisionKinds.${d.decision}`),
            d.withdrawal ? t("oversight.withdrawn", { by: d.withdrawal.by, date: date(d.withdrawal.at), reason: d.withdrawal.reason }) : "",
            d.standing === "invalidated" ? t("oversight.invalidated") : "",
          ]
            .filter(Boolean)
            .join("\n"),
          date(d.createdAt),
          String(d.criteriaRevision),
          d.cardRevision === null ? "—" : String(d.cardRevision),
          d.comment,
        ]),
      );
    } else w.paragraph(t("oversight.noDecision"), { color: GREY });
    w.subheading(t("oversight.criteriaRevisions"));
    w.bullets(review.criteriaRevisions.map((r) => t("oversight.revisionLine", { revision: r.revision, by: r.changedBy, date: date(r.changedAt), required: r.requiredApprovals })));
    w.subheading(t("oversight.exceptions"));
    if (review.exceptions.length) {
      w.bullets(review.exceptions.map((e) => t("oversight.exceptionLine", { criterion: e.criterion, result: e.result.replace(/[.\s]+$/, ""), by: e.approvedBy, justification: e.justification })));
    } else w.paragraph(t("oversight.noExceptions"), { color: GREY });
    if (review.comments.length) {
      w.subheading(t("oversight.comments"));
      for (const c of review.comments) {
        w.paragraph(`${c.author}, ${date(c.createdAt)}`, { font: "bold", size: 8.5 });
        w.paragraph(c.body);
      }
    }
    // Keep the heading with at least the first two signature lines.
    w.ensureSpace(130);
    w.subheading(t("oversight.signatures"));
    const names = [review.requestedBy, ...review.decisions.filter((d) => d.decision === "approve" && d.standing === "counts").map((d) => d.reviewer)];
    for (const name of names) {
      w.ensureSpace(40);
      const y = doc.y + 22;
      doc.font("body").fontSize(9).fillColor("#000").text(name, MARGIN, doc.y, { width: 150 });
      doc.moveTo(MARGIN + 160, y).lineTo(MARGIN + w.width, y).lineWidth(0.5).strokeColor("#000").stroke();
      doc.font("body").fontSize(7.5).fillColor(GREY).text(t("oversight.signatureLine"), MARGIN + 160, y + 3, { width: w.width - 160 });
      doc.x = MARGIN;
      doc.y = y + 18;
    }
  } else w.paragraph(t("oversight.noReview"), { color: GREY });

  w.heading(section("monitoring"));
  w.freeText(t("card.monitoringPlan"), file.card.sections.monitoringPlan, t("notWritten"));
  const mon = file.monitoring;
  w.paragraph(
    mon.configured && mon.sampleRate !== null && mon.retentionDays !== null
      ? t("monitoring.settings", { rate: pct(mon.sampleRate), days: mon.retentionDays })
      : t("monitoring.notConfigured"),
  );
  w.subheading(t("monitoring.thresholds"));
  const thresholdKeys = ["ksPValue", "wasserstein", "chiSquarePValue", "jensenShannon", "datasetDriftShare", "liveMetric"];
  w.table(
    [{ header: t("monitoring.threshold"), width: 0.7 }, { header: t("evaluation.value"), width: 0.3, align: "right" }],
    thresholdKeys.map((key) => [t(`monitoring.${key}`), mon.thresholds[key] === null || mon.thresholds[key] === undefined ? t("monitoring.notChecked") : num(mon.thresholds[key])]),
  );
  w.paragraph(t("monitoring.feedback", { count: mon.feedback.labels, date: date(mon.feedback.lastAt) }));
  if (mon.flagReasons.length) {
    // Each reason in the PDF's language where its code was kept, else as the server wrote it (in English).
    const reasons = mon.flagReasons.map((text, i) => sentenceText(said, mon.flagReasonMessages?.[i], text)).join(said("separator"));
    w.paragraph(t("monitoring.flagged", { reasons }), { color: "#8a4b00" });
  }
  w.subheading(t("monitoring.aliasHistory"));
  if (mon.aliasHistory.length) {
    w.table(
      [
        { header: t("oversight.date"), width: 0.22 },
        { header: t("monitoring.alias"), width: 0.14 },
        { header: t("monitoring.event"), width: 0.24 },
        { header: t("monitoring.by"), width: 0.12 },
        { header: t("oversight.comment"), width: 0.28 },
      ],
      mon.aliasHistory.map((e) => [
        date(e.at),
        e.alias,
        t("monitoring.aliasEvent", { kind: aliasKind(e.kind), previous: e.previousVersion ?? "—", version: e.version ?? "—" }),
        e.actor,
        e.reason ? t("monitoring.reason", { reason: e.reason }) : "",
      ]),
    );
  } else w.paragraph(t("monitoring.noAliasHistory"), { color: GREY });

  w.heading(section("history"));
  if (file.card.history.length) {
    w.bullets(
      file.card.history.map((h) => {
        const line = t("history.line", { revision: h.revision, author: h.author, date: date(h.createdAt), changed: h.changed.map((key) => t(`card.${key}`)).join(", ") || "—" });
        return h.note ? `${line}. ${t("history.note", { note: h.note })}` : line;
      }),
    );
  } else w.paragraph(t("history.none"), { color: GREY });
  if (approved && file.card.approvedRevision === 0) w.paragraph(t("approvedCardNoText"));
  if (approved && file.card.approvedSections && file.card.approvedRevision !== null && file.card.approvedRevision !== file.card.revision && file.card.approvedRevision > 0) {
    const approvedSection = n + 1;
    w.paragraph(t("cardEditedAfterApproval", { current: file.card.revision, approved: file.card.approvedRevision, section: approvedSection }), { font: "bold" });
    w.heading(section("approvedCard"));
    w.paragraph(t("cardRevisionLine", { revision: file.card.approvedRevision }), { color: GREY });
    printSections(w, file.card.approvedSections, t);
  }

  // ---- contents, header and footer on every page (pages are buffered so totals and page numbers are known)
  const range = doc.bufferedPageRange();
  doc.switchToPage(tocPage);
  doc.x = MARGIN;
  doc.y = HEADER_SPACE + 10;
  doc.font("bold").fontSize(18).fillColor("#000").text(t("contents"), MARGIN, doc.y);
  doc.moveDown(0.8);
  for (const entry of w.toc) {
    const indent = entry.level === 1 ? 0 : 16;
    const y = doc.y;
    const pageLabel = String(entry.page + 1);
    doc.font(entry.level === 1 ? "bold" : "body").fontSize(entry.level === 1 ? 11 : 10).fillColor("#000");
    doc.text(entry.title, MARGIN + indent, y, { width: w.width - indent - 40, lineBreak: false });
    doc.text(pageLabel, MARGIN, y, { width: w.width, align: "right", lineBreak: false });
    doc.y = y + 18;
  }
  const header = `${file.model.name} · v${file.model.version} · SHA-256 ${shortDigest(file.model.digest)}`;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const page = doc.page;
    const savedBottom = page.margins.bottom;
    const savedTop = page.margins.top;
    page.margins.bottom = 0;
    page.margins.top = 0;
    doc.font("body").fontSize(8).fillColor(GREY);
    doc.text(header, MARGIN, 26, { width: w.width - 90, lineBreak: false });
    doc.text(t("title"), MARGIN, 26, { width: w.width, align: "right", lineBreak: false });
    doc.moveTo(MARGIN, 40).lineTo(page.width - MARGIN, 40).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.text(t("pageOf", { page: i + 1, total: range.count }), MARGIN, page.height - 34, { width: w.width, align: "center", lineBreak: false });
    page.margins.bottom = savedBottom;
    page.margins.top = savedTop;
  }
  doc.end();
  return done;
}

function printSections(w: FileWriter, sections: ModelCardSections, t: Translate): void {
  for (const key of modelCardSectionKeys) w.freeText(t(`card.${key}`), sections[key], t("notWritten"));
}
