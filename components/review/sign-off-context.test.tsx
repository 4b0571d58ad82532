// The sign-off sheet prints what a committee signs against besides the metrics: the business context, robustness and
// edge cases, and the comments as written (escaped, line breaks kept), in English and French.
import { describe, expect, it, vi } from "vitest";
import { renderWithCache } from "@/components/models/render-with-cache";
import { sampleReview } from "@/lib/review-sentences.fixture";
import { SignOffSheet } from "./sign-off-sheet";

vi.mock("next/navigation", () => ({
  usePathname: () => "/reviews/12/sign-off",
  useSearchParams: () => new URLSearchParams(),
  useRouter: () => ({ push: () => undefined, replace: () => undefined, prefetch: () => undefined }),
}));

const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

function review() {
  const base = sampleReview();
  return {
    ...base,
    context: { businessGoal: "Approve small loans faster", expectedRoi: "2 FTE saved,\nabout €90,000 a year", knownLimits: "" },
    comments: [{ id: 1, author: "rita", body: "Line one <b>not bold</b>\nLine two", createdAt: Date.UTC(2026, 10, 20, 11, 0, 0) }],
  };
}

describe("SignOffSheet additions", () => {
  it("prints the business context, robustness, edge cases and the comments readably", () => {
    const html = renderWithCache(<SignOffSheet review={review()} />, ["studio.read"], () => undefined);
    const text = textOf(html);
    expect(html).toContain('data-testid="sign-off-context"');
    expect(text).toContain("Business context Goal Approve small loans faster");
    expect(html).toContain("2 FTE saved,\nabout €90,000 a year");
    expect(text).toContain("Known limits Not stated by the requester.");
    expect(html).toContain('data-testid="sign-off-robustness"');
    expect(text).toContain("Gaussian noise 0.3 std accuracy 0.93 0.042");
    expect(text).toContain("Could not score: the model refused NaN inputs");
    expect(text).toMatch(/\d+ edge-case inputs tried, (all scored without error\.|\d+ failed:)/);
    expect(html).toContain("Line one &lt;b&gt;not bold&lt;/b&gt;\nLine two");
    expect(text).toContain("rita, Nov 20, 2026, 11:00 AM");
    expect(html.indexOf('data-testid="sign-off-context"')).toBeLessThan(html.indexOf('id="sheet-summary"'));
  });

  it("prints the same blocks in French with French numbers and dates", () => {
    const html = renderWithCache(<SignOffSheet review={review()} />, ["studio.read"], () => undefined, "fr");
    const text = textOf(html);
    expect(text).toContain("Contexte métier Objectif Approve small loans faster");
    expect(text).toContain("Limites connues Non précisé par le demandeur.");
    expect(text).toContain("Robustesse et cas limites");
    expect(text).toContain("Gaussian noise 0.3 std accuracy 0,93 0,042");
    expect(text).toContain("Évaluation impossible : the model refused NaN inputs");
    expect(text).toContain("Commentaires");
    expect(text).toContain("rita, 20 nov. 2026, 11:00");
  });
});
