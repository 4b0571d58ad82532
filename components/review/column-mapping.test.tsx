// The column order of a matrix model nothing names: asked once in the request form, shown on the review and its sign-off sheet.
import { describe, expect, it, vi } from "vitest";
import { renderWithCache } from "@/components/models/render-with-cache";
import { sampleReview } from "@/lib/review-sentences.fixture";
import { defaultCriteria } from "@/server/review/schema";
import { columnOrderToSend } from "./column-mapping";
import { RequestReviewForm } from "./request-review-form";
import { ReviewPage } from "./review-page";
import { SignOffSheet } from "./sign-off-sheet";

vi.mock("next/navigation", () => ({
  usePathname: () => "/reviews/new",
  useSearchParams: () => new URLSearchParams(),
  useRouter: () => ({ push: () => undefined, replace: () => undefined, prefetch: () => undefined }),
}));

const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

function renderForm(names: string[] | null) {
  return renderWithCache(<RequestReviewForm modelName="digits" modelVersion="1" initialDataset="digits" initialDatasetVersion={2} />, ["studio.read"], (trpc, queryClient) => {
    queryClient.setQueryData(trpc.review.formDefaults.queryKey({ modelName: "digits", modelVersion: "1", datasetName: "digits", datasetVersion: 2 }), {
      task: "multiclass",
      problem: null,
      criteria: defaultCriteria("multiclass"),
      trainingDatasets: [],
      matrixInput: { inputName: "input", width: 3, names },
      dataset: { name: "digits", version: 2, columns: ["px0", "px1", "digit", "px2"], labelColumn: "digit", sensitiveAttributes: [], trainingOverlap: null },
    });
    queryClient.setQueryData(trpc.datasets.list.queryKey({}), []);
  });
}

describe("RequestReviewForm: the column order", () => {
  it("asks to confirm the order, starting from the file's columns without the label, when nothing names the model's columns", () => {
    const html = renderForm(null);
    const text = textOf(html);
    expect(text).toContain("Column order");
    expect(text).toContain("The model takes one input ‘input’ of 3 columns, and nothing names them");
    expect(html).toMatch(/<textarea[^>]*>px0, px1, px2<\/textarea>/);
    expect(text).toMatch(/I confirm these columns feed the model(&#x27;|')s input ‘input’ in this order/);
  });

  it("does not ask when the columns are named (matched by name instead)", () => {
    expect(textOf(renderForm(["px0", "px1", "px2"]))).not.toContain("Column order");
  });

  it("sends the order only once it is complete, valid and confirmed", () => {
    const columns = ["px0", "px1", "digit", "px2"];
    expect(columnOrderToSend({ text: "px0, px1, px2", confirmed: false }, 3, columns, "digit")).toEqual({ order: null, error: "Tick the box to confirm this column order." });
    expect(columnOrderToSend({ text: "px2\npx1\npx0", confirmed: true }, 3, columns, "digit")).toEqual({ order: ["px2", "px1", "px0"], error: null });
    expect(columnOrderToSend({ text: "px0, px1", confirmed: true }, 3, columns, "digit").error).toBe("The model takes 3 columns; the confirmed order lists 2.");
    expect(columnOrderToSend({ text: "px0, px1, digit", confirmed: true }, 3, columns, "digit").error).toBe("'digit' is the label column; take it out.");
  });
});

describe("The confirmed order on the review and its sign-off sheet", () => {
  const columnMapping = { inputName: "input", columns: ["px2", "px0", "px1"], confirmedBy: "alice", confirmedAt: Date.UTC(2026, 11, 6) };

  it("prints model column → dataset column with who confirmed it", () => {
    const review = sampleReview({ columnMapping });
    for (const html of [
      renderWithCache(<SignOffSheet review={review} />, ["studio.read"], () => undefined),
      renderWithCache(<ReviewPage id={review.id} />, ["studio.read"], (trpc, queryClient) => queryClient.setQueryData(trpc.review.get.queryKey({ id: review.id }), review)),
    ]) {
      const text = textOf(html);
      expect(text).toContain("Column order (confirmed)");
      expect(text).toContain("alice confirmed this order on Dec 6, 2026");
      expect(text).toContain("0 px2 1 px0 2 px1");
    }
  });

  it("prints nothing when the columns were matched by name", () => {
    const html = renderWithCache(<SignOffSheet review={sampleReview({ columnMapping: null })} />, ["studio.read"], () => undefined);
    expect(textOf(html)).not.toContain("Column order");
  });
});
