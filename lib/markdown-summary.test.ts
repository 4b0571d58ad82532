import { describe, expect, it } from "vitest";
import { markdownSummary } from "./markdown-summary";

describe("markdownSummary", () => {
  it("gives the first block's words without markup", () => {
    expect(markdownSummary("# Random **forest** on _breast cancer_\n\nMore detail here.")).toBe("Random forest on breast cancer");
    expect(markdownSummary("See [the paper](https://example.com) and `model.onnx`.")).toBe("See the paper and model.onnx.");
    expect(markdownSummary("\n\n- trained on **v3**\n- second")).toBe("trained on v3");
    expect(markdownSummary("> quoted\n> text")).toBe("quoted text");
  });

  it("drops raw HTML instead of showing or rendering it", () => {
    expect(markdownSummary("<script>alert(1)</script>\n\nReal text")).toBe("Real text");
    expect(markdownSummary("Hello <b>world</b>")).toBe("Hello world");
  });

  it("cuts long text on the limit with an ellipsis, and answers empty for blank input", () => {
    const long = markdownSummary("word ".repeat(100), 20);
    expect(long.length).toBeLessThanOrEqual(20);
    expect(long.endsWith("…")).toBe(true);
    expect(markdownSummary("  \n \n")).toBe("");
  });
});
