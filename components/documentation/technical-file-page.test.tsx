// The technical-file page rendered from a cached file, in English and French: sections, card revision, edit buttons
// for editors only, and the download links (the PDF in the chosen language).
import { describe, expect, it, vi } from "vitest";
import { renderWithCache } from "@/components/models/render-with-cache";
import type { Locale } from "@/lib/i18n/locales";
import { emptyModelCardSections, type TechnicalFile } from "@/server/documentation/schema";
import { TechnicalFilePage } from "./technical-file-page";

vi.mock("next/navigation", () => ({
  usePathname: () => "/models/credit-rf/versions/3/technical-file",
  useSearchParams: () => new URLSearchParams(),
  useRouter: () => ({ push: () => undefined, replace: () => undefined, prefetch: () => undefined }),
}));

const at = Date.UTC(2026, 11, 5, 14, 30);

function sampleFile(canEdit: boolean): TechnicalFile {
  return {
    generatedAt: at,
    model: { name: "credit-rf", version: "3", digest: "a".repeat(64), description: "", registeredBy: "erin", registeredAt: at, stage: "None", aliases: ["production"], task: "binary", inputs: ["income"], outputs: ["label", "probabilities"] },
    card: {
      revision: 2,
      author: "erin",
      updatedAt: at,
      sections: { ...emptyModelCardSections, intendedPurpose: "Pre-screen loans.\nApplicants ≥ 18 only.", limits: "Not for business loans." },
      approvedRevision: 1,
      approvedSections: { ...emptyModelCardSections, intendedPurpose: "Pre-screen loans." },
      history: [
        { revision: 2, author: "erin", createdAt: at, note: "", changed: ["intendedPurpose"] },
        { revision: 1, author: "erin", createdAt: at, note: "first draft", changed: ["intendedPurpose", "limits"] },
      ],
    },
    context: { businessGoal: "Approve more good loans", expectedRoi: "€120,000 a year", knownLimits: "Planted bias" },
    data: {
      training: [{ name: "credit", version: 1, digest: "b".repeat(64), context: "training", rowCount: 3750, columnCount: 10, mostMissing: [], masking: [{ column: "name", action: "hash" }], piiFindings: [], qualityStatus: "passed", inRegistry: true }],
      evaluation: null,
    },
    training: { runId: "r1", runName: "forest", experimentId: "1", params: [{ key: "n_estimators", value: "100" }], metrics: [], code: { gitCommit: "abc123", gitTag: "v1.2", gitBranch: null, source: null }, derivedFrom: null },
    evaluation: {
      reviewId: 12,
      status: "approved",
      labelColumn: "approved",
      rowCount: 1250,
      task: "binary",
      metrics: [{ name: "accuracy", value: 0.91 }],
      criteria: [{ key: "metric:accuracy", description: "accuracy ≥ 0.80", passed: true, actual: 0.91, sentence: "accuracy is 0.91, at least 0.80 as required" }],
      evaluatorVersion: "3",
      evaluatedAt: at,
      notes: [],
      trainingOverlap: null,
    },
    fairness: { sensitiveAttributes: [], attributes: [] },
    robustness: { perturbations: [], edgeCases: { total: 4, failed: 0, failures: [] } },
    oversight: {
      review: {
        id: 12,
        status: "approved",
        requestedBy: "erin",
        requestedAt: at,
        requiredApprovals: 1,
        decidedAt: at,
        criteriaRevision: 1,
        decisions: [{ reviewer: "rita", decision: "approve", comment: "Fine.", createdAt: at, criteriaRevision: 1, cardRevision: 1, standing: "counts", withdrawal: null }],
        criteriaRevisions: [{ revision: 1, changedBy: "erin", changedAt: at, requiredApprovals: 1 }],
        exceptions: [],
        comments: [],
      },
      allReviews: [{ id: 12, status: "approved", requestedBy: "erin", createdAt: at }],
    },
    monitoring: { configured: false, sampleRate: null, retentionDays: null, thresholds: { ksPValue: 0.05 }, feedback: { labels: 0, lastAt: null }, flagReasons: [], aliasHistory: [] },
    permissions: { canEdit },
  };
}

function render(file: TechnicalFile, locale: Locale = "en") {
  return renderWithCache(
    <TechnicalFilePage name="credit-rf" version="3" />,
    ["studio.read"],
    (trpc, queryClient) => queryClient.setQueryData(trpc.documentation.technicalFile.queryKey({ name: "credit-rf", version: "3" }), file),
    locale,
  );
}

const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, " ");

describe("TechnicalFilePage", () => {
  it("shows every Annex IV section, the card revision and the approval's frozen revision, and the free text as written", () => {
    const html = render(sampleFile(true));
    expect(html).toContain('data-testid="technical-file-page"');
    for (const key of ["purpose", "model", "data", "training", "evaluation", "fairness", "robustness", "limits", "oversight", "monitoring", "history"]) {
      expect(html).toContain(`data-testid="technical-file-section-${key}"`);
    }
    expect(textOf(html)).toContain("Current card revision: 2 · Approved with card revision 1");
    expect(html).toContain("Pre-screen loans.\nApplicants ≥ 18 only.");
    expect(textOf(html)).toContain("accuracy ≥ 0.80");
    expect(textOf(html)).toContain("Revision 1 by erin on");
    expect(html).toContain('href="/api/models/credit-rf/versions/3/technical-file.pdf?lang=en"');
    expect(html).toContain('href="/api/models/credit-rf/versions/3/technical-file.json"');
    expect(html).toMatch(/data-testid="pdf-language"/);
    expect(html).toMatch(/data-testid="download-pdf"[^>]*>Download PDF</);
    expect(html).toContain('data-testid="edit-section-intendedPurpose"');
    expect(html).toContain('data-testid="edit-section-monitoringPlan"');
  });

  it("lets viewers read and download but not edit", () => {
    const html = render(sampleFile(false));
    expect(html).not.toContain('data-testid="edit-section-');
    expect(textOf(html)).toContain("Only editors and administrators can edit the model card");
    expect(html).toContain('data-testid="download-json"');
  });

  it("speaks French, with French numbers and dates, and asks for the PDF in French by default", () => {
    const html = render(sampleFile(true), "fr");
    const text = textOf(html);
    expect(text).toContain("Dossier technique");
    expect(text).toContain("Révision actuelle de la fiche : 2 · Approuvé avec la révision 1 de la fiche");
    expect(text).toContain("Finalité prévue");
    expect(text).toContain("Télécharger le PDF");
    expect(html).toMatch(/3[\u202f\u00a0]750/);
    expect(text).toContain("SHA-256 du modèle : aaaa");
    expect(text).toContain("5 déc. 2026");
    expect(html).toContain('href="/api/models/credit-rf/versions/3/technical-file.pdf?lang=fr"');
    expect(text).not.toContain("Download PDF");
  });
});
