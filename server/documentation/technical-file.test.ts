// The technical file of a really reviewed model: built from the studio's records, the model card's revisions frozen
// into the approval, only editors may write it, and the PDF a committee files (pages, running header, French).
import { execFileSync } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { modelCardRevisions, reviews } from "@/db/schema";
import type { Actor } from "../auth/actor";
import { listAuditEntries } from "../auth/audit";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { registerDatasetVersion } from "../datasets/register-version";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { appRouter } from "../root-router";
import { waitForReviewJobs } from "../review/review-jobs";
import { decideReview, getReview, requestReview, withdrawApproval } from "../review/reviews";
import type { AcceptanceCriteria } from "../review/schema";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { handleTechnicalFileDownload } from "./http";
import { editModelCard } from "./model-card";
import { buildTechnicalFile } from "./technical-file";
import { renderTechnicalFilePdf } from "./technical-file-pdf";
import type { TechnicalFile } from "./schema";
import { sentence } from "@/lib/i18n/server-sentence";

const fixtures = path.join(import.meta.dirname, "../../fixtures");
const erin: Actor = { userId: "u-erin", username: "erin", role: "editor", via: "session" };
const rita: Actor = { userId: "u-rita", username: "rita", role: "reviewer", via: "session" };
const vera: Actor = { userId: "u-vera", username: "vera", role: "viewer", via: "session" };

/** Accuracy is checked against a bar the model misses, so the approval carries a written exception. */
const criteria: AcceptanceCriteria = {
  metricThresholds: [
    { metric: "accuracy", op: "gte", threshold: 0.5 },
    { metric: "roc_auc", op: "gte", threshold: 0.999 },
  ],
  maxGroupGap: null,
  maxNoiseDrop: 0.5,
  edgeCasesMustNotCrash: false,
};

const pdftotext = "/usr/bin/pdftotext";
const havePoppler = existsSync(pdftotext) && existsSync("/usr/bin/pdfinfo");

describe.each(testBackends)("technical file on %s", (backend) => {
  let studio: TestStudio;
  let root: string;
  let out: string;
  let reviewId: number;
  let trainDigest: string;
  const as = (actor: Actor) => studio.as(actor);
  const ref = { name: "credit-logreg", version: "1" };

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-techfile-datasets-"));
    out = await mkdtemp(path.join(os.tmpdir(), "studio-techfile-pdf-"));
    const meta = { name: "credit-applications", format: "csv" as const, masking: {}, labelColumn: "approved", sensitiveAttributes: ["sex"] };
    const train = await registerDatasetVersion(as(erin), root, meta, createReadStream(path.join(fixtures, "datasets/credit.train.csv")));
    const test = await registerDatasetVersion(as(erin), root, meta, createReadStream(path.join(fixtures, "datasets/credit.test.csv")));
    trainDigest = train.version.digest;
    await waitForDatasetJobs();
    await registerOnnxUpload(as(erin), {
      name: "credit-logreg",
      bytes: new Uint8Array(await readFile(path.join(fixtures, "models/credit-logreg.onnx"))),
      lineage: {
        params: { C: "1.0", solver: "lbfgs" },
        datasets: [
          {
            name: "credit.train",
            digest: train.version.digest,
            context: "training",
            registry: { datasetName: "credit-applications", version: train.version.version, qualityStatus: "none", qualityReason: null },
          },
        ],
      },
    });
    ({ id: reviewId } = await requestReview(
      as(erin),
      {
        modelName: "credit-logreg",
        modelVersion: "1",
        datasetName: "credit-applications",
        datasetVersion: test.version.version,
        labelColumn: "approved",
        sensitiveAttributes: ["sex"],
        criteria,
        requiredApprovals: 1,
        context: { businessGoal: "Approve more good loans", expectedRoi: "About €120,000 a year", knownLimits: "Planted bias against women" },
      },
      root,
    ));
    await waitForReviewJobs();
  });
  afterAll(async () => {
    await waitForReviewJobs();
    await waitForDatasetJobs();
    await studio.close();
    await rm(root, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  it("lets editors write the card as numbered revisions, audited, and refuses viewers, reviewers and stale edits", async () => {
    await expect(editModelCard(as(vera), { ...ref, sections: { intendedPurpose: "x" }, baseRevision: 0 })).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    await expect(editModelCard(as(rita), { ...ref, sections: { intendedPurpose: "x" }, baseRevision: 0 })).rejects.toMatchObject({ code: "PERMISSION_DENIED" });
    const viewerCaller = appRouter.createCaller({ ...as(vera), actor: vera, req: new Request("http://studio.test/api/trpc") });
    await expect(viewerCaller.documentation.editCard({ ...ref, sections: { limits: "x" }, baseRevision: 0 })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const first = await editModelCard(as(erin), {
      ...ref,
      sections: { intendedPurpose: "Pre-screen consumer loan applications (≥ 18 years old).", intendedUsers: "Credit analysts", limits: "Not for business loans." },
      baseRevision: 0,
      note: "first draft",
    });
    expect(first).toEqual({ revision: 1, changed: ["intendedPurpose", "intendedUsers", "limits"] });
    await expect(editModelCard(as(erin), { ...ref, sections: { limits: "stale" }, baseRevision: 0 })).rejects.toMatchObject({ code: "INVALID_STATE" });
    expect(await editModelCard(as(erin), { ...ref, sections: { limits: "Not for business loans." }, baseRevision: 1 })).toEqual({ revision: 1, changed: [] });

    const file = await buildTechnicalFile(as(vera), ref);
    expect(file.card).toMatchObject({ revision: 1, author: "erin", approvedRevision: null });
    expect(file.card.sections.intendedUsers).toBe("Credit analysts");
    expect(file.card.history).toEqual([expect.objectContaining({ revision: 1, author: "erin", note: "first draft", changed: ["intendedPurpose", "intendedUsers", "limits"] })]);
    expect(file.permissions.canEdit).toBe(false);
    const audit = await listAuditEntries(studio.db, { action: "model_version.card.edit" });
    expect(audit.map((e) => e.actorUsername)).toEqual(["erin"]);

    // Revisions are append-only in the database itself.
    const refusal = (error: unknown) => String((error as { cause?: Error }).cause?.message ?? (error as Error).message);
    expect(refusal(await studio.db.execute(sql`update model_card_revisions set author = 'mallory'`).catch((e: unknown) => e))).toMatch(/append-only/);
    expect(refusal(await studio.db.delete(modelCardRevisions).catch((e: unknown) => e))).toMatch(/append-only/);
  });

  it("freezes the card revision into the approval; later edits make new revisions without changing it", async () => {
    const review = await getReview(as(rita), reviewId);
    expect(review.status).toBe("ready");
    const failing = (review.criteriaResults ?? []).filter((r) => !r.passed);
    expect(failing.map((r) => r.key)).toContain("metric:roc_auc");
    await decideReview(as(rita), {
      id: reviewId,
      decision: "approve",
      comment: "Fine for a pilot.\nSecond line of the comment.",
      exceptions: failing.map((r) => ({ key: r.key, justification: "The pilot keeps a human on every refusal." })),
    });
    const [row] = await studio.db.select({ approved: reviews.approvedCardRevision }).from(reviews).where(eq(reviews.reviewId, reviewId));
    expect(row.approved).toBe(1);

    await editModelCard(as(erin), { ...ref, sections: { intendedPurpose: "Pre-screen consumer loans (changed after approval)." }, baseRevision: 1 });
    const file = await buildTechnicalFile(as(erin), ref);
    expect(file.card.revision).toBe(2);
    expect(file.card.approvedRevision).toBe(1);
    expect(file.card.approvedSections?.intendedPurpose).toBe("Pre-screen consumer loan applications (≥ 18 years old).");
    expect(file.card.sections.intendedPurpose).toMatch(/changed after approval/);
    expect(file.oversight.review?.decisions).toEqual([
      expect.objectContaining({ reviewer: "rita", decision: "approve", cardRevision: 1, criteriaRevision: 1, standing: "counts" }),
    ]);
    expect(file.oversight.review?.exceptions[0]).toMatchObject({ approvedBy: "rita", justification: "The pilot keeps a human on every refusal." });
    expect(file.permissions.canEdit).toBe(true);
  });

  it("gathers data, training, evaluation, fairness, robustness and monitoring from the studio's records", async () => {
    const file = await buildTechnicalFile(as(vera), ref);
    expect(file.model).toMatchObject({ name: "credit-logreg", version: "1", registeredBy: "erin", task: "binary" });
    expect(file.model.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(file.data.training).toEqual([expect.objectContaining({ name: "credit-applications", version: 1, digest: trainDigest, context: "training", inRegistry: true })]);
    expect(file.data.training[0]!.rowCount).toBeGreaterThan(100);
    expect(file.data.evaluation).toMatchObject({ name: "credit-applications", version: 2, context: "evaluation" });
    expect(file.training.params).toEqual(expect.arrayContaining([{ key: "C", value: "1.0" }]));
    expect(file.evaluation).toMatchObject({ reviewId, status: "approved", labelColumn: "approved", task: "binary" });
    expect(file.evaluation!.metrics.find((m) => m.name === "accuracy")?.value).toBeGreaterThan(0.5);
    expect(file.evaluation!.criteria.map((c) => c.key)).toEqual(["metric:accuracy", "metric:roc_auc", "noise_drop"]);
    expect(file.context).toEqual({ businessGoal: "Approve more good loans", expectedRoi: "About €120,000 a year", knownLimits: "Planted bias against women" });
    expect(file.fairness.attributes.map((a) => a.attribute)).toEqual(["sex"]);
    expect(file.robustness.perturbations.length).toBeGreaterThan(0);
    expect(file.robustness.edgeCases.total).toBeGreaterThan(0);
    expect(file.monitoring).toMatchObject({ configured: false, feedback: { labels: 0, lastAt: null }, aliasHistory: [] });
    expect(file.monitoring.thresholds.ksPValue).toBe(0.05);
  });

  it("serves the file over REST as an attachment never cached, JSON or PDF, and says what is wrong with a bad request", async () => {
    const get = (url: string, name = "credit-logreg", version = "1", kind: "pdf" | "json" = "json") =>
      handleTechnicalFileDownload(new Request(url), Promise.resolve({ name, version }), kind, async () => as(vera));
    const json = await get("http://studio.test/api/models/credit-logreg/versions/1/technical-file.json");
    expect(json.status).toBe(200);
    expect(json.headers.get("content-disposition")).toBe('attachment; filename="credit-logreg-v1-technical-file.json"');
    expect(json.headers.get("cache-control")).toBe("no-store");
    const body = (await json.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ model: { name: "credit-logreg", version: "1" }, card: { revision: 2, approvedRevision: 1 } });
    expect(body).not.toHaveProperty("permissions");
    // The filed JSON is as it was: the reasons' codes are for the PDF's language only.
    expect(body.monitoring).toHaveProperty("flagReasons");
    expect(body.monitoring).not.toHaveProperty("flagReasonMessages");
    const pdf = await get("http://studio.test/x.pdf?lang=fr", "credit-logreg", "1", "pdf");
    expect([pdf.status, pdf.headers.get("content-type"), pdf.headers.get("cache-control")]).toEqual([200, "application/pdf", "no-store"]);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");
    const badLang = await get("http://studio.test/x.pdf?lang=de", "credit-logreg", "1", "pdf");
    expect(badLang.status).toBe(400);
    expect(await badLang.text()).toMatch(/lang must be 'en' or 'fr'/);
    expect((await get("http://studio.test/x.json", "credit-logreg", "9")).status).toBe(404);
    expect((await get("http://studio.test/x.json", "no-such-model", "1")).status).toBe(404);
  });

  it.skipIf(!havePoppler)("renders a PDF with a contents page, the running header and N / M footer on every page, in English and French", async () => {
    const file = await buildTechnicalFile(as(erin), ref);
    const short = file.model.digest!.slice(0, 12);
    for (const locale of ["en", "fr"] as const) {
      const pdf = await renderTechnicalFilePdf(file, { locale });
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      const target = path.join(out, `technical-file-${locale}.pdf`);
      await writeFile(target, pdf);
      const info = execFileSync("/usr/bin/pdfinfo", [target], { encoding: "utf8" });
      const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
      expect(pages).toBeGreaterThanOrEqual(5);
      const pageTexts = Array.from({ length: pages }, (_, i) =>
        execFileSync(pdftotext, ["-layout", "-f", String(i + 1), "-l", String(i + 1), target, "-"], { encoding: "utf8" }),
      );
      pageTexts.forEach((text, i) => {
        expect(text, `page ${i + 1} header`).toContain(`credit-logreg · v1 · SHA-256 ${short}`);
        expect(text, `page ${i + 1} footer`).toMatch(new RegExp(`(^|\\s)${i + 1}\\s*/\\s*${pages}\\s*$`));
      });
      const all = pageTexts.join("\n").replace(/\s+/g, " ");
      // The contents page lists every section with the page it starts on.
      const contents = pageTexts[1]!;
      const sections = locale === "en" ? ["1. Intended purpose and users", "5. Evaluation", "9. Human oversight and sign-off", "12. Model card text as approved"] : ["1. Finalité prévue et utilisateurs", "5. Évaluation", "9. Contrôle humain et validation", "12. Texte de la fiche tel qu’approuvé"];
      for (const title of sections) {
        const page = Number(new RegExp(`${title.replace(/[.()]/g, "\\$&")}\\s+(\\d+)`).exec(contents)?.[1]);
        expect(page, `${title} in the contents`).toBeGreaterThan(2);
        expect(pageTexts[page - 1], `${title} on page ${page}`).toContain(title);
      }
      expect(all).toContain("≥ 18 years old");
      expect(all).toContain("€120,000");
      expect(all).toContain("Second line of the comment.");
      expect(all).toContain("The pilot keeps a human on every refusal.");
      if (locale === "en") {
        expect(all).toContain("Approved in review #");
        expect(all).toMatch(/with model card revision 1\./);
      } else {
        expect(all).toContain("Dossier technique");
        expect(all).toContain("avec la révision 1 de la fiche du modèle");
        expect(all).toContain("Critères d’acceptation");
        expect(all).not.toContain("Intended purpose");
      }
    }
    // Monitoring's flag reasons in the PDF's language where their codes are kept, as the server wrote them otherwise.
    const reasons = ["Feature drift: 2 of 4 features drifted in the window from 2026-11-25 06:00 UTC (age, income).", "a reason from an older server"];
    const flagged = {
      ...file,
      monitoring: {
        ...file.monitoring,
        flagReasons: reasons,
        flagReasonMessages: [sentence("flag.feature_drift", { drifted: 2, features: 4, when: "2026-11-25 06:00", names: "age, income" }), null],
      },
    } as TechnicalFile;
    for (const locale of ["en", "fr"] as const) {
      const target = path.join(out, `flagged-${locale}.pdf`);
      await writeFile(target, await renderTechnicalFilePdf(flagged, { locale }));
      const text = execFileSync(pdftotext, [target, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
      expect(text).toContain(locale === "en" ? `Flagged at the last health check: ${reasons.join("; ")}` : "Signalé lors du dernier contrôle : Dérive de variables : 2 variables sur 4 ont dérivé");
      if (locale === "fr") expect(text).toContain("; a reason from an older server");
    }
    if (process.env.TECHFILE_PDF_OUT) {
      for (const locale of ["en", "fr"]) await writeFile(path.join(process.env.TECHFILE_PDF_OUT, `technical-file-${locale}.pdf`), await readFile(path.join(out, `technical-file-${locale}.pdf`)));
    }
  });

  it("forgets the frozen revision when the approval is withdrawn, and a new approval freezes the card as it then stands", async () => {
    await withdrawApproval(as(rita), { id: reviewId, reason: "Re-read the card first" });
    const withdrawn = await buildTechnicalFile(as(vera), ref);
    expect([withdrawn.evaluation?.status, withdrawn.card.approvedRevision, withdrawn.card.approvedSections]).toEqual(["ready", null, null]);
    const failing = (await getReview(as(rita), reviewId)).criteriaResults!.filter((r) => !r.passed);
    await decideReview(as(rita), { id: reviewId, decision: "approve", comment: "", exceptions: failing.map((r) => ({ key: r.key, justification: "Same as before." })) });
    const again = await buildTechnicalFile(as(vera), ref);
    expect([again.card.revision, again.card.approvedRevision]).toEqual([2, 2]);
    expect(again.oversight.review?.decisions.map((d) => [d.cardRevision, d.standing])).toEqual([
      [1, "withdrawn"],
      [2, "counts"],
    ]);
  });
});

if (!havePoppler) {
  describe("technical file PDF text", () => {
    it.skip("needs pdftotext and pdfinfo from poppler-utils (/usr/bin): install poppler-utils to check the PDF's pages and text", () => undefined);
  });
}
