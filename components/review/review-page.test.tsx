// The review pages rendered on the server from cached answers: report sections, sentences, criteria pass/fail, decisions, comments, sign-off sheet, list and form.
import { describe, expect, it, vi } from "vitest";
import { renderWithCache } from "@/components/models/render-with-cache";
import { ProductionGateNotice } from "@/components/models/alias-editor";
import { PromoteDecision } from "@/components/deployments/promote-form";
import { ModelVersionPage } from "@/components/models/version-page";
import { binaryReport, multiclassReport, regressionReport, sampleReview } from "@/lib/review-sentences.fixture";
import { defaultCriteria, type ReviewDetail, type ReviewSummary } from "@/server/review/schema";
import { RequestReviewForm } from "./request-review-form";
import { ReviewPage } from "./review-page";
import { ReviewsList } from "./reviews-list";
import { SignOffSheet } from "./sign-off-sheet";

let searchParams = new URLSearchParams();
vi.mock("next/navigation", () => ({
  usePathname: () => "/reviews",
  useSearchParams: () => searchParams,
  useRouter: () => ({ push: () => undefined, replace: () => undefined, prefetch: () => undefined }),
}));

function renderReview(review: ReviewDetail) {
  return renderWithCache(<ReviewPage id={review.id} />, ["studio.read"], (trpc, queryClient) => {
    queryClient.setQueryData(trpc.review.get.queryKey({ id: review.id }), review);
  });
}

/** Text of the HTML without tags, whitespace collapsed, so sentences split across elements can be matched. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("ReviewPage", () => {
  it("opens with the summary in plain sentences and the criteria with pass/fail in words", () => {
    const html = renderReview(sampleReview());
    expect(html).toContain("On 143 held-out cases the model is right 97% of the time.");
    expect(html).toContain("For sex, it selects 31% of group F and 24% of group M: a gap of 7 points, within the 10-point limit.");
    expect(html).toContain("Under noise of 0.1 standard deviation accuracy drops by 1.2 points, within the 5-point limit.");
    expect(html).toContain("All 20 edge-case inputs were scored without error.");
    expect(html).toContain('aria-label="Acceptance criteria"');
    expect(html).toMatch(/accuracy ≥ 0\.80<\/td><td><span[^>]*><span aria-hidden="true">✓ <\/span>Pass<\/span><\/td>/);
    expect(html).toMatch(/edge cases must not crash<\/td><td><span[^>]*><span aria-hidden="true">✗ <\/span>Fail<\/span><\/td>/);
    expect(html).toContain("Accuracy is 0.97, at least 0.80 as required");
    expect(html.indexOf("On 143 held-out cases")).toBeLessThan(html.indexOf('aria-label="Acceptance criteria"'));
  });

  it("has the headings and button names the journeys rely on", () => {
    const html = renderReview(sampleReview());
    for (const heading of ["Acceptance criteria", "Fairness", "Robustness", "Feature importance", "Edge cases", "Decision", "Comments"]) {
      expect(html).toMatch(new RegExp(`<h2 id="[^"]+">${heading}</h2>`));
    }
    for (const button of ["Approve", "Request changes", "Reject", "Comment", "Edit criteria"]) {
      expect(html).toMatch(new RegExp(`<button[^>]*>${button}</button>`));
    }
    expect(html).toContain('href="/reviews/12/sign-off"');
    expect(html).toContain('href="/models/credit-rf/versions/3"');
    expect(html).toContain('href="/datasets/credit-holdout/versions/2"');
  });

  it("disables the decision buttons and says why when the user may not decide", () => {
    const html = renderReview(sampleReview());
    expect(html).toContain("You registered this model version, so someone else must review it.");
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>Approve<\/button>/);
    expect(html).toContain("Required to reject or request changes; optional to approve.");
    const reviewer = renderReview(sampleReview({ permissions: { ...sampleReview().permissions, canDecide: true, cannotDecideReason: null } }));
    expect(reviewer).not.toMatch(/<button[^>]*disabled=""[^>]*>Approve<\/button>/);
  });

  it("shows comments as plain text, oldest first, and invalidated decisions struck through with the reason", () => {
    const html = renderReview(sampleReview());
    expect(html).toContain("First &lt;script&gt;alert(1)&lt;/script&gt; comment");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html.indexOf("First &lt;script&gt;")).toBeLessThan(html.indexOf("Second comment"));
    expect(html).toContain("criteria changed after this decision; it no longer counts");
    expect(textOf(html)).toContain("sam requested changes");
    expect(html).toContain("Check &lt;b&gt;edge&lt;/b&gt; cases");
  });

  it("draws the classification report: per-class table with macro, confusion matrix, ROC and calibration", () => {
    const html = renderReview(sampleReview());
    expect(html).toContain('aria-label="Classification metrics"');
    expect(html).toContain("Macro average");
    expect(html).toContain('aria-label="Confusion matrix"');
    expect(html).toContain("ROC curve");
    expect(html).toContain('aria-label="Calibration bins"');
    expect(html).toContain('aria-label="Fairness by sex"');
    expect(html).toContain("Demographic-parity ratio");
    expect(html).toContain('aria-label="Robustness"');
    expect(html).toContain("the model refused NaN inputs");
    expect(html).toContain('aria-label="Feature importance"');
    expect(html).toContain('aria-label="Edge cases"');
    expect(html).toContain("a1".repeat(32));
    expect(html).toContain("review-evaluator 1.0.0");
  });

  it("renders a regression report without fairness and without edge cases, and a multiclass one", () => {
    const regression = renderReview(sampleReview({ report: regressionReport(), criteria: defaultCriteria("regression"), criteriaResults: [] }));
    expect(regression).toContain('aria-label="Regression metrics"');
    expect(regression).toContain("Residuals");
    expect(regression).toContain("Group fairness (selection rates) is measured for binary classifiers only.");
    expect(regression).toContain("No edge-case inputs were tried.");
    expect(regression).toContain("Permutation importance was not measured.");
    expect(regression).toContain("No acceptance criteria were set");
    const multiclass = renderReview(sampleReview({ report: multiclassReport(), criteriaResults: null }));
    expect(multiclass).toContain("across 3 classes");
    expect(multiclass).toContain("virginica");
    expect(multiclass).not.toContain("ROC curve");
  });

  it("lists failed edge cases first with their error, and shows all features' importance on request only", () => {
    const report = binaryReport();
    report.edgeCases[7] = { ...report.edgeCases[7], ok: false, output: null, error: "Input 'income' must not be NaN" };
    const html = renderReview(sampleReview({ report }));
    expect(html).toContain("1 of 20 inputs made the model fail; they are listed first.");
    expect(html).toMatch(/<tbody><tr><td>income<\/td><td>far out of range<\/td>.*?Fail<\/span><\/td><td[^>]*><span[^>]*>—<\/span><\/td><td[^>]*>Input &#x27;income&#x27; must not be NaN/);
    const many = binaryReport();
    many.importance.features = Array.from({ length: 20 }, (_, i) => ({ feature: `f${i}`, mean: 0.2 - i * 0.01, std: 0.001, importances: [] }));
    const page = renderReview(sampleReview({ report: many }));
    expect(page).toContain("The 15 most important of 20 features");
    expect(page).toContain(">f14<");
    expect(page).not.toContain(">f15<");
    expect(page).toMatch(/<button[^>]*aria-expanded="false"[^>]*>Show all 20 features<\/button>/);
  });

  it("says when a binary review measured no sensitive attribute", () => {
    const html = renderReview(sampleReview({ report: binaryReport({ fairness: [] }) }));
    expect(html).toContain("No sensitive attribute was chosen, so fairness was not measured.");
  });

  it("shows the evaluation's progress while it runs, and the error with a re-run button when it failed", () => {
    const running = renderReview(
      sampleReview({ status: "evaluating", report: null, criteriaResults: null, job: { status: "running", progress: 0.42, stage: "fairness", error: null } }),
    );
    expect(running).toContain("Evaluating: fairness — 42%");
    expect(running).toMatch(/<progress[^>]*value="0.42"/);
    expect(running).toContain("The criteria are checked once the evaluation has finished.");
    expect(running).not.toContain("held-out cases");
    const failed = renderReview(sampleReview({ status: "evaluation_failed", report: null, criteriaResults: null, evaluationError: "The model has no ONNX file." }));
    expect(failed).toContain("The model has no ONNX file.");
    expect(failed).toMatch(/<button[^>]*>Re-run evaluation<\/button>/);
    expect(failed).not.toContain("<progress");
  });

  it("warns when the evaluation dataset overlaps the training data", () => {
    const html = renderReview(sampleReview({ trainingOverlap: "The model was trained on credit-holdout@2." }));
    expect(html).toContain("The evaluation dataset overlaps the training data.");
    expect(html).toContain("The model was trained on credit-holdout@2.");
  });
});

const revised = {
  revisions: [
    { revision: 1, criteria: defaultCriteria("binary"), requiredApprovals: 1, changedBy: "dana", changedAt: Date.UTC(2026, 10, 20, 9, 0, 0), previous: null },
    {
      revision: 2,
      criteria: { ...defaultCriteria("binary"), maxGroupGap: 0.2 },
      requiredApprovals: 2,
      changedBy: "dana",
      changedAt: Date.UTC(2026, 10, 20, 12, 0, 0),
      previous: { revision: 1, criteria: defaultCriteria("binary"), requiredApprovals: 1 },
    },
  ],
};
const excepted = {
  status: "approved" as const,
  approvals: 2,
  exceptions: [
    { criterionKey: "edge_cases", criterion: "edge cases must not crash", result: "2 edge-case inputs crashed the model", justification: "Inputs are <i>validated</i> upstream", approvedBy: "rita" },
  ],
};

describe("ReviewPage: revisions, exceptions, withdrawal", () => {
  it("lists every criteria revision with who, when and before → after", () => {
    const html = renderReview(sampleReview(revised));
    expect(html).toMatch(/<h2 id="review-revisions">Criteria revisions<\/h2>/);
    const text = textOf(html);
    expect(text).toContain("1 dana");
    expect(text).toContain("requested with accuracy ≥ 0.8; ROC AUC ≥ 0.75; selection-rate gap between groups ≤ 10 points");
    expect(text).toContain("2 dana");
    expect(text).toContain("selection-rate gap between groups ≤ 10 points; 1 approval required selection-rate gap between groups ≤ 20 points; 2 approvals required");
  });

  it("asks a justification for each failing criterion before approving, and names the exceptions once approved", () => {
    const reviewer = renderReview(sampleReview({ permissions: { ...sampleReview().permissions, canDecide: true, cannotDecideReason: null } }));
    expect(reviewer).toContain("Approving despite 1 failing criterion: an exception for each");
    expect(reviewer).toMatch(/<label[^>]*>Why approve although edge cases must not crash fails\?<\/label>/);
    expect(reviewer).toContain("2 edge-case inputs crashed the model");
    const owner = renderReview(sampleReview());
    expect(owner).not.toContain("an exception for each");
    const approved = renderReview(sampleReview({ ...excepted, permissions: { ...sampleReview().permissions, canEditCriteria: false } }));
    expect(approved).toContain("Exceptions (1 failing criterion accepted)");
    expect(approved).toContain("Inputs are &lt;i&gt;validated&lt;/i&gt; upstream");
    expect(approved).toContain("The criteria are final: this review is approved.");
    expect(approved).not.toMatch(/<button[^>]*>Edit criteria<\/button>/);
  });

  it("offers the withdrawal to the reviewer whose approval counts, and shows withdrawn approvals with their reason", () => {
    const base = sampleReview();
    expect(renderReview(base)).not.toContain("Withdraw my approval");
    const mine = renderReview(sampleReview({ status: "approved", permissions: { ...base.permissions, withdrawableDecisionId: 2 } }));
    expect(mine).toMatch(/<button[^>]*>Withdraw my approval<\/button>/);
    const withdrawn = renderReview(
      sampleReview({
        decisions: [
          {
            ...base.decisions[1]!,
            decision: "approve",
            withdrawnAt: Date.UTC(2026, 10, 21, 8, 0, 0),
            withdrawnBy: "sam",
            withdrawalReason: "Live accuracy fell to 0.61",
          },
        ],
      }),
    );
    expect(textOf(withdrawn)).toMatch(/Withdrawn by sam, .*: Live accuracy fell to 0\.61/);
  });

  it("lets viewers read the thread but not comment", () => {
    const html = renderReview(sampleReview({ permissions: { ...sampleReview().permissions, canComment: false } }));
    expect(html).toContain("First &lt;script&gt;alert(1)&lt;/script&gt; comment");
    expect(html).toContain("commenting needs the editor, reviewer or admin role");
    expect(html).not.toMatch(/<button[^>]*>Comment<\/button>/);
  });

  it("shows a failed evaluation as failed in the list, not queued", () => {
    searchParams = new URLSearchParams();
    const html = renderWithCache(<ReviewsList />, ["studio.read"], (trpc, queryClient) => {
      queryClient.setQueryData(trpc.review.list.queryKey({ filter: "all" }), [summary({ status: "evaluation_failed", criteriaPassed: null, criteriaTotal: null })]);
    });
    expect(html).toContain("Evaluation failed");
    expect(html).not.toContain("Queued");
  });

  it("says 'approved with N exceptions' on the Deployments gate", () => {
    const gate = { approved: true, approvedReviewId: 12, message: "Review #12 approved version 3.", exceptions: [...excepted.exceptions, { ...excepted.exceptions[0]!, approvedBy: "sam" }] };
    const html = renderWithCache(<PromoteDecision model="credit-rf" version="3" gate={gate} isAdmin={false} />, ["studio.read"], () => undefined);
    expect(html).toContain("Review gate: approved with 1 exception.");
    const plain = renderWithCache(<PromoteDecision model="credit-rf" version="3" gate={{ ...gate, exceptions: [] }} isAdmin={false} />, ["studio.read"], () => undefined);
    expect(plain).toContain("Review gate: approved.");
  });
});

describe("SignOffSheet", () => {
  it("prints the criteria revisions, the exceptions and withdrawals", () => {
    const base = sampleReview();
    const review = sampleReview({
      ...revised,
      ...excepted,
      decisions: [{ ...base.decisions[1]!, decision: "approve", withdrawnAt: Date.UTC(2026, 10, 21), withdrawnBy: "sam", withdrawalReason: "Live accuracy fell" }],
    });
    const html = renderWithCache(<SignOffSheet review={review} />, ["studio.read"], () => undefined);
    const text = textOf(html);
    expect(text).toContain("#12 — Approved with 1 exception");
    expect(html).toMatch(/<h2 id="sheet-revisions">Criteria revisions<\/h2>/);
    expect(text).toContain("selection-rate gap between groups ≤ 20 points; 2 approvals required");
    expect(html).toMatch(/<h2 id="sheet-exceptions">Exceptions<\/h2>/);
    expect(html).toContain("Inputs are &lt;i&gt;validated&lt;/i&gt; upstream");
    expect(text).toMatch(/withdrawn by sam, .*: Live accuracy fell/);
  });


  it("prints what was signed: versions, both digests, runtime, sentences, criteria, metrics, fairness, decisions and signature lines", () => {
    const review = sampleReview({ status: "approved", approvals: 2, decidedAt: Date.UTC(2026, 10, 21) });
    const html = renderWithCache(<SignOffSheet review={review} />, ["studio.read"], () => undefined);
    expect(html).toContain("Model acceptance sign-off");
    expect(html).toContain("credit-rf@3");
    expect(html).toContain("credit-holdout@2");
    expect(html).toContain("a1".repeat(32));
    expect(html).toContain("b2".repeat(32));
    expect(html).toContain("onnxruntime-node 1.20.1, Node.js v22.11.0");
    expect(html).toContain("On 143 held-out cases the model is right 97% of the time.");
    expect(html).toContain('aria-label="Key metrics"');
    expect(html).toContain('aria-label="Fairness"');
    expect(html).toContain("0.7742");
    expect(html).toContain("rita");
    expect(html).toContain("(void: criteria changed after this decision)");
    expect(html).toContain("2 approvals are required.");
    expect(html).toContain("Reviewer 2: name, date, signature");
    expect(html).toMatch(/<button[^>]*>Print<\/button>/);
    expect(html).toContain("@media print");
    expect(html).toContain("size: A4");
  });
});

const summary = (overrides: Partial<ReviewSummary>): ReviewSummary => ({
  id: 1,
  modelName: "credit-rf",
  modelVersion: "3",
  datasetName: "credit-holdout",
  datasetVersion: 2,
  status: "ready",
  requestedBy: "dana",
  createdAt: Date.UTC(2026, 10, 20),
  updatedAt: Date.UTC(2026, 10, 20),
  approvals: 1,
  requiredApprovals: 2,
  criteriaPassed: 3,
  criteriaTotal: 4,
  ...overrides,
});

describe("ReviewsList", () => {
  it("lists reviews with status, criteria passed and approvals, under the filter in the URL", () => {
    searchParams = new URLSearchParams("filter=waiting");
    const html = renderWithCache(<ReviewsList />, ["studio.read"], (trpc, queryClient) => {
      queryClient.setQueryData(trpc.review.list.queryKey({ filter: "waiting" }), [summary({}), summary({ id: 2, status: "evaluating", criteriaPassed: null, criteriaTotal: null })]);
    });
    expect(html).toMatch(/aria-current="page"[^>]*>Waiting</);
    expect(html).toContain('href="/reviews/1"');
    expect(html).toContain("credit-rf@3");
    expect(html).toContain("Waiting for decision");
    expect(html).toContain("3/4");
    expect(html).toContain("1/2");
    expect(html).toContain("not evaluated");
    expect(html).toContain('href="/reviews/new"');
  });

  it("says what to do when a filter is empty", () => {
    searchParams = new URLSearchParams("filter=mine_to_review");
    const html = renderWithCache(<ReviewsList />, ["studio.read"], (trpc, queryClient) => {
      queryClient.setQueryData(trpc.review.list.queryKey({ filter: "mine_to_review" }), []);
    });
    expect(html).toContain("Nothing waits for your decision.");
    searchParams = new URLSearchParams();
  });
});

describe("RequestReviewForm", () => {
  it("starts from the task's default criteria, shown as defaults, and says why a version cannot be evaluated", () => {
    const html = renderWithCache(<RequestReviewForm modelName="credit-rf" modelVersion="3" />, ["studio.read"], (trpc, queryClient) => {
      queryClient.setQueryData(trpc.review.formDefaults.queryKey({ modelName: "credit-rf", modelVersion: "3" }), {
        task: "binary",
        problem: "Its output is a ZipMap: derive a version without it first.",
        criteria: defaultCriteria("binary"),
        trainingDatasets: [{ name: "credit", version: 1 }],
        dataset: null,
      });
      queryClient.setQueryData(trpc.datasets.list.queryKey({}), []);
    });
    expect(html).toContain("Defaults: accuracy ≥ 0.8; ROC AUC ≥ 0.75; selection-rate gap between groups ≤ 10 points");
    expect(html).toContain('value="10"');
    expect(html).toContain('value="0.05"');
    expect(html).toContain("Its output is a ZipMap: derive a version without it first.");
    expect(html).toMatch(/<button type="submit"[^>]*disabled=""[^>]*>Request review<\/button>/);
    expect(html).toContain("Trained on credit@1");
    expect(html).toContain("Register the held-out dataset");
    expect(html).toContain("Business goal");
  });
});

describe("RequestReviewForm with a dataset version", () => {
  it("defaults the label column and sensitive attributes from the dataset and warns about training overlap", () => {
    const html = renderWithCache(
      <RequestReviewForm modelName="credit-rf" modelVersion="3" initialDataset="credit" initialDatasetVersion={1} />,
      ["studio.read"],
      (trpc, queryClient) => {
        queryClient.setQueryData(trpc.review.formDefaults.queryKey({ modelName: "credit-rf", modelVersion: "3", datasetName: "credit", datasetVersion: 1 }), {
          task: "binary",
          problem: null,
          criteria: defaultCriteria("binary"),
          trainingDatasets: [{ name: "credit", version: 1 }],
          dataset: {
            name: "credit",
            version: 1,
            columns: ["age", "sex", "income", "approved"],
            labelColumn: "approved",
            sensitiveAttributes: ["sex"],
            trainingOverlap: "The model was trained on credit@1.",
          },
        });
        queryClient.setQueryData(trpc.datasets.list.queryKey({}), []);
      },
    );
    expect(html).toContain("This looks like training data.");
    expect(html).toContain("The model was trained on credit@1.");
    expect(html).toMatch(/<option value="approved" selected="">approved<\/option>/);
    expect(html).toMatch(/<input type="checkbox" checked=""\/>sex<\/label>/);
    expect(html).toMatch(/<input type="checkbox"\/>age<\/label>/);
    expect(html).not.toMatch(/<input type="checkbox"[^>]*\/>approved<\/label>/);
    expect(html).toMatch(/<button type="submit"[^>]*>Request review<\/button>/);
    expect(html).not.toMatch(/<button type="submit"[^>]*disabled=""[^>]*>Request review<\/button>/);
  });
});

describe("ModelVersionPage hooks", () => {
  it("links to a review request for the version and lists its reviews", () => {
    const html = renderWithCache(<ModelVersionPage name="credit-rf" version="3" />, ["studio.read"], (trpc, queryClient) => {
      queryClient.setQueryData(trpc.registry.version.queryKey({ name: "credit-rf", version: "3" }), {
        name: "credit-rf",
        version: "3",
        creation_timestamp: 1,
        last_updated_timestamp: 1,
        user_id: "dana",
        current_stage: "None",
        description: "",
        source: "x",
        run_id: "",
        status: "READY",
        tags: [],
        aliases: [],
        storage_location: "",
        onnx_path: null,
        introspection: null,
        lineage: null,
      });
      queryClient.setQueryData(trpc.review.list.queryKey({ filter: "all", modelName: "credit-rf", modelVersion: "3" }), [summary({ status: "approved" })]);
    });
    expect(html).toMatch(/href="\/reviews\/new\?model=credit-rf&amp;version=3"[^>]*>Request review</);
    expect(html).toContain('aria-label="Reviews of this version"');
    expect(html).toContain("Approved");
  });
});

describe("ProductionGateNotice (alias editor)", () => {
  const props = { loading: false, error: null, name: "credit-rf", version: "3", overrideReason: "", onOverrideReason: () => undefined, inputId: "gate" };
  const blocked = { approved: false, approvedReviewId: null, message: "Version 3 has no approved acceptance review." };

  it("shows the gate's message; an admin gets the override reason field, others a link to request a review", () => {
    const admin = renderWithCache(<ProductionGateNotice {...props} gate={blocked} isAdmin />, ["studio.read"], () => undefined);
    expect(admin).toContain("Version 3 has no approved acceptance review.");
    expect(admin).toContain("Override the review gate: reason");
    const editor = renderWithCache(<ProductionGateNotice {...props} gate={blocked} isAdmin={false} />, ["studio.read"], () => undefined);
    expect(editor).toContain("Version 3 has no approved acceptance review.");
    expect(editor).not.toContain("Override the review gate");
    expect(editor).toContain('href="/reviews/new?model=credit-rf&amp;version=3"');
  });

  it("links the approving review when the gate is open", () => {
    const html = renderWithCache(
      <ProductionGateNotice {...props} gate={{ approved: true, approvedReviewId: 12, message: "Approved in review #12." }} isAdmin={false} />,
      ["studio.read"],
      () => undefined,
    );
    expect(html).toContain("Approved in review #12.");
    expect(html).toContain('href="/reviews/12"');
  });
});

describe("in French", () => {
  /** French formats put narrow no-break spaces before % and in thousands; compare them as plain spaces. */
  const plain = (html: string) => textOf(html).replace(/[\u202f\u00a0]/g, " ").replace(/&#x27;/g, "'");

  it("shows the review page in French: summary, criteria re-said from the stored English, decisions, dates", () => {
    const review = sampleReview();
    const html = plain(
      renderWithCache(<ReviewPage id={review.id} />, ["studio.read"], (trpc, queryClient) => queryClient.setQueryData(trpc.review.get.queryKey({ id: review.id }), review), "fr"),
    );
    expect(html).toContain("Sur 143 cas réservés à l'évaluation, le modèle a raison dans 97 % des cas.");
    expect(html).toContain("Pour sex, il sélectionne 31 % du groupe F et 24 % du groupe M : un écart de 7 points, dans la limite de 10 points.");
    expect(html).toContain("L'exactitude vaut 0,97, au moins 0,80 comme exigé.");
    expect(html).toContain("exactitude ≥ 0,80");
    expect(html).toContain("Critères d'acceptation");
    expect(html).toContain("Réussi");
    expect(html).toContain("En attente de décision");
    expect(html).toContain("par dana, 20 nov. 2026");
    expect(html).toContain("sam a demandé des modifications");
    expect(html).toContain("Demander des modifications");
    expect(html).not.toContain("held-out");
  });

  it("prints the sign-off sheet in French with French numbers", () => {
    const html = plain(renderWithCache(<SignOffSheet review={sampleReview()} />, ["studio.read"], () => undefined, "fr"));
    expect(html).toContain("Validation de l'acceptation du modèle");
    expect(html).toContain("Métriques clés");
    expect(html).toContain("0,972");
    expect(html).toContain("Relecteur 1 : nom, date, signature");
    expect(html).toContain("Son ROC AUC est de 0,995");
  });

  it("lists reviews in French", () => {
    searchParams = new URLSearchParams();
    const html = plain(
      renderWithCache(<ReviewsList />, ["studio.read"], (trpc, queryClient) => queryClient.setQueryData(trpc.review.list.queryKey({ filter: "all" }), []), "fr"),
    );
    expect(html).toContain("Revues");
    expect(html).toContain("Demander une revue");
    expect(html).toContain("À examiner par moi");
  });
});
