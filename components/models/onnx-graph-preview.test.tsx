// The ONNX graph preview rendered from the server's answer: nodes in order, weights and model inputs/outputs marked.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { describeOnnxGraph } from "@/server/registry/onnx-graph";
import { OnnxGraphPreview } from "./onnx-graph-preview";
import { renderWithCache } from "./render-with-cache";

const digits = describeOnnxGraph(new Uint8Array(readFileSync("fixtures/models/digits-mlp.onnx")));
const source = { source: "artifact" as const, path: "1/abc/artifacts/model.onnx" };

function render(withSummary: boolean, graph = digits) {
  return renderWithCache(<OnnxGraphPreview source={source} withSummary={withSummary} />, ["studio.read"], (trpc, queryClient) => {
    queryClient.setQueryData(trpc.registry.onnxGraph.queryKey(source), graph);
  });
}

describe("OnnxGraphPreview", () => {
  it("lists every node in order with what it reads and writes, marking weights and the model's inputs and outputs", () => {
    const html = render(false);
    const rows = html.split("<tbody>")[1].split("<tr>").slice(1);
    expect(rows).toHaveLength(digits.nodes.length);
    expect(rows[0]).toContain("<code>Cast</code>");
    expect(rows[0]).toMatch(/<code>input<\/code><span[^>]*>model input<\/span>/);
    expect(rows[1]).toMatch(/<code>coefficient<\/code><span[^>]*>weight<\/span>/);
    expect(rows[1]).not.toMatch(/<code>cast_input<\/code><span/);
    expect(rows.at(-1)).toContain("model output");
    expect(html).not.toContain("Inputs and outputs");
  });

  it("adds the inputs/outputs and operator tables when asked, and says when the list is cut", () => {
    const html = render(true, { ...digits, nodes: digits.nodes.slice(0, 2) });
    expect(html).toContain('aria-label="Inputs and outputs"');
    expect(html).toContain("tensor&lt;float32&gt;[?,64]");
    expect(html).toContain('aria-label="Operators"');
    expect(html).toContain(`The first 2 of ${digits.topLevelNodeCount} nodes`);
  });
});
