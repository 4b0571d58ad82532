// What the labelling pages show: the item's inputs in order with one keyed button per class and no model answer,
// the tie-break note, the empty queue's way forward, and a queue's progress with its agreement rate.
import { describe, expect, it } from "vitest";
import { renderWithCache } from "@/components/models/render-with-cache";
import type { LabellingQueue, NextItem } from "@/server/labelling/schema";
import { LabellingQueuePage } from "./labelling-queue-page";
import { LabellingWorkbench } from "./labelling-workbench";

const next = (over: Partial<NextItem> = {}): NextItem => ({
  model: "iris",
  classes: ["setosa", "versicolor", "virginica"],
  item: { itemId: 7, requestId: "req-1", rowIndex: 2, inputs: [["sepal_length", 5.1], ["sepal_width", null], ["species_hint", "<b>x</b>"]], tieBreak: false },
  doneByMe: 4,
  waitingForMe: 6,
  undoable: { itemId: 6, label: "setosa" },
  ...over,
});

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");

function renderWorkbench(data: NextItem, locale: "en" | "fr" = "en") {
  return renderWithCache(<LabellingWorkbench name="iris" />, ["labelling.label"], (trpc, queryClient) => queryClient.setQueryData(trpc.labelling.next.queryKey({ name: "iris" }), data), locale);
}

describe("LabellingWorkbench", () => {
  it("shows the inputs in the model's order, a keyed button per class, skip and undo, and the progress", () => {
    const html = renderWorkbench(next());
    const plain = text(html);
    expect(plain).toMatch(/sepal_length 5\.1 sepal_width missing species_hint <b>x<\/b>/);
    // User text is text, never markup.
    expect(html).toContain("&lt;b&gt;x&lt;/b&gt;");
    expect(html.match(/aria-keyshortcuts="[^"]+"/g)).toEqual(['aria-keyshortcuts="1"', 'aria-keyshortcuts="2"', 'aria-keyshortcuts="3"', 'aria-keyshortcuts="S"', 'aria-keyshortcuts="U Backspace"']);
    expect(plain).toContain("1 setosa 2 versicolor 3 virginica S Skip");
    expect(plain).toContain("4 answered by you · 6 items wait");
    expect(html).toContain('<progress aria-label="Your progress" value="4" max="10">');
    expect(plain).toContain("The model's answer is hidden");
    expect(plain).not.toContain("Two labellers disagreed");
  });

  it("says when this labeller breaks a tie, and what to do when nothing is left", () => {
    expect(text(renderWorkbench(next({ item: { ...next().item!, tieBreak: true } })))).toContain("Two labellers disagreed on this row: your label decides.");
    const empty = text(renderWorkbench(next({ item: null, undoable: null })));
    expect(empty).toContain("Nothing left for you to label in this queue. Ask an editor to fill it with more requests.");
    expect(empty).not.toContain("S Skip");
  });

  it("speaks French", () => {
    expect(text(renderWorkbench(next(), "fr"))).toContain("S Passer");
  });
});

describe("LabellingQueuePage", () => {
  const queue: LabellingQueue = {
    model: "iris",
    strategy: "low_confidence",
    fillSize: 50,
    labelsRequired: 2,
    classes: ["0", "1", "2"],
    updatedBy: "alice",
    updatedAt: 0,
    progress: { items: 10, open: 6, agreed: 3, disputed: 1, awaitingThird: 2, agreementRate: 0.5, pairs: 4 },
  };
  const render = (permissions: string[], data: LabellingQueue | null) =>
    renderWithCache(<LabellingQueuePage name="iris" />, permissions, (trpc, queryClient) => queryClient.setQueryData(trpc.labelling.queue.queryKey({ name: "iris" }), data));

  it("shows progress and the agreement rate; editors get the settings and the export", () => {
    const plain = text(render(["labelling.manage", "labelling.label"], queue));
    expect(plain).toContain("Agreed 3 Disputed 1 Awaiting a third labeller 2 Agreement rate 50% of 4 items labelled twice");
    expect(plain).toContain("Fill the queue");
    expect(plain).toContain("Export as dataset version");
  });

  it("shows readers the progress only, and a queue not yet set up says so", () => {
    const plain = text(render(["studio.read"], queue));
    expect(plain).not.toContain("Fill the queue");
    expect(plain).toContain("Only editors and admins change this queue.");
    expect(text(render(["labelling.manage"], null))).toContain("This model has no labelling queue yet.");
  });
});
