// Unit tests of the artifact preview rules: kind by name, selection in the URL, byte and row limits.
import { describe, expect, it } from "vitest";
import {
  PREVIEW_SVG_BYTES,
  PREVIEW_TABLE_ROWS,
  PREVIEW_TEXT_BYTES,
  artifactPreviewKind,
  artifactSelectionHref,
  buildArtifactPreview,
  decodeText,
  readFirstBytes,
  selectedArtifactPath,
  type ArtifactPreview,
} from "./artifact-preview-kind";

const utf8 = (text: string) => new TextEncoder().encode(text);

function streamOf(chunks: Uint8Array[]): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  let index = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (index < chunks.length) controller.enqueue(chunks[index++]);
        else controller.close();
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => index, cancelled: () => cancelled };
}

function table(preview: ArtifactPreview) {
  if (preview.kind !== "table") throw new Error(`expected a table, got ${preview.kind}`);
  return preview;
}

describe("artifactPreviewKind", () => {
  it("knows text, JSON, tables and images by extension, in any case", () => {
    expect(artifactPreviewKind("train.log")).toBe("text");
    expect(artifactPreviewKind("notes/README.md")).toBe("text");
    expect(artifactPreviewKind("src/train.PY")).toBe("text");
    expect(artifactPreviewKind("model/conda.yaml")).toBe("text");
    expect(artifactPreviewKind("model/MLmodel")).toBe("text");
    expect(artifactPreviewKind("metrics.json")).toBe("json");
    expect(artifactPreviewKind("eval/preds.CSV")).toBe("csv");
    expect(artifactPreviewKind("eval/preds.tsv")).toBe("tsv");
    for (const image of ["a.png", "b.JPG", "c.jpeg", "d.gif", "e.webp"]) expect(artifactPreviewKind(image)).toBe("image");
    expect(artifactPreviewKind("plots/roc.svg")).toBe("svg");
  });
  it("offers no preview for binary or unknown files", () => {
    expect(artifactPreviewKind("model/model.onnx")).toBe("none");
    expect(artifactPreviewKind("model/model.pkl")).toBe("none");
    expect(artifactPreviewKind("data.parquet")).toBe("none");
    expect(artifactPreviewKind("weights")).toBe("none");
    expect(artifactPreviewKind(".png")).toBe("none");
  });
});

describe("the selected artifact in the URL", () => {
  it("accepts plain relative paths and refuses ones that would leave the run's folder", () => {
    expect(selectedArtifactPath("plots/roc.png")).toBe("plots/roc.png");
    expect(selectedArtifactPath(null)).toBeNull();
    expect(selectedArtifactPath("")).toBeNull();
    expect(selectedArtifactPath("../other/artifacts/x.txt")).toBeNull();
    expect(selectedArtifactPath("a/./b.txt")).toBeNull();
    expect(selectedArtifactPath("/etc/passwd")).toBeNull();
    expect(selectedArtifactPath("a//b")).toBeNull();
    expect(selectedArtifactPath("a\\..\\b")).toBeNull();
  });
  it("sets or removes ?artifact= and keeps the other parameters", () => {
    expect(artifactSelectionHref("/experiments/1/runs/abc", "", "notes/a b&c.txt")).toBe("/experiments/1/runs/abc?artifact=notes%2Fa+b%26c.txt");
    expect(artifactSelectionHref("/r", "?tab=x&artifact=old.txt", "new.txt")).toBe("/r?tab=x&artifact=new.txt");
    expect(artifactSelectionHref("/r", "?artifact=old.txt", null)).toBe("/r");
    expect(new URLSearchParams(artifactSelectionHref("/r", "", "notes/a b&c.txt").split("?")[1]).get("artifact")).toBe("notes/a b&c.txt");
  });
});

describe("readFirstBytes", () => {
  it("reads a small file whole", async () => {
    const { stream } = streamOf([utf8("hello "), utf8("world")]);
    const read = await readFirstBytes(stream, 100);
    expect(decodeText(read.bytes, read.truncated)).toBe("hello world");
    expect(read.truncated).toBe(false);
  });
  it("stops at the limit, cancels the rest of the download and says it was cut", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(97);
    const source = streamOf(Array.from({ length: 100 }, () => chunk));
    const read = await readFirstBytes(source.stream, PREVIEW_TEXT_BYTES);
    expect(read.bytes.byteLength).toBe(PREVIEW_TEXT_BYTES);
    expect(read.truncated).toBe(true);
    expect(source.cancelled()).toBe(true);
    expect(source.pulled()).toBeLessThan(10);
  });
  it("is not truncated when the file is exactly the limit", async () => {
    const read = await readFirstBytes(streamOf([new Uint8Array(10), new Uint8Array(6)]).stream, 16);
    expect(read).toEqual({ bytes: new Uint8Array(16), truncated: false });
  });
});

describe("buildArtifactPreview", () => {
  it("shows text as it is, and says when it was cut", () => {
    expect(buildArtifactPreview("text", utf8("epoch 1 loss 0.5\n"), false)).toEqual({ kind: "text", text: "epoch 1 loss 0.5\n", truncated: false });
    // "é" is two bytes; cutting after its first byte must not leave a replacement character.
    const cut = utf8("café").subarray(0, 4);
    expect(buildArtifactPreview("text", cut, true)).toEqual({ kind: "text", text: "caf", truncated: true });
  });
  it("pretty-prints JSON, and shows invalid or cut JSON as text with a note", () => {
    expect(buildArtifactPreview("json", utf8('{"acc":0.93,"classes":["a","b"]}'), false)).toEqual({
      kind: "json",
      pretty: '{\n  "acc": 0.93,\n  "classes": [\n    "a",\n    "b"\n  ]\n}',
    });
    const invalid = buildArtifactPreview("json", utf8("{acc: 1}"), false);
    expect(invalid).toMatchObject({ kind: "text", text: "{acc: 1}", truncated: false, note: { code: "jsonInvalid", detail: expect.any(String) } });
    expect(buildArtifactPreview("json", utf8('{"a": [1, 2'), true)).toMatchObject({ kind: "text", truncated: true, note: { code: "jsonCut" } });
  });
  it("refuses to show binary bytes behind a text name", () => {
    expect(buildArtifactPreview("text", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1]), false)).toMatchObject({ kind: "binary" });
  });
  it("parses CSV with quoted commas and newlines, and TSV by tabs", () => {
    const csv = table(buildArtifactPreview("csv", utf8('name,comment\nalice,"likes a, b"\nbob,"two\nlines"\n'), false));
    expect(csv.header).toEqual(["name", "comment"]);
    expect(csv.rows).toEqual([
      ["alice", "likes a, b"],
      ["bob", "two\nlines"],
    ]);
    expect(csv.moreRows).toBe(false);
    expect(csv.problems).toEqual([]);
    const tsv = table(buildArtifactPreview("tsv", utf8("x\ty\n1,5\t2\n"), false));
    expect(tsv.header).toEqual(["x", "y"]);
    expect(tsv.rows).toEqual([["1,5", "2"]]);
  });
  it(`shows at most ${PREVIEW_TABLE_ROWS} rows and says there are more`, () => {
    const lines = ["i,square", ...Array.from({ length: 2000 }, (_, i) => `${i},${i * i}`)].join("\n");
    const preview = table(buildArtifactPreview("csv", utf8(lines), false));
    expect(preview.rows).toHaveLength(PREVIEW_TABLE_ROWS);
    expect(preview.rows.at(-1)).toEqual([String(PREVIEW_TABLE_ROWS - 1), String((PREVIEW_TABLE_ROWS - 1) ** 2)]);
    expect(preview.moreRows).toBe(true);
    const exact = table(buildArtifactPreview("csv", utf8(lines.split("\n").slice(0, PREVIEW_TABLE_ROWS + 1).join("\n")), false));
    expect(exact.rows).toHaveLength(PREVIEW_TABLE_ROWS);
    expect(exact.moreRows).toBe(false);
  });
  it("drops a row cut in half by the byte limit", () => {
    const preview = table(buildArtifactPreview("csv", utf8('a,b\n1,2\n3,"unfinis'), true));
    expect(preview.rows).toEqual([["1", "2"]]);
    expect(preview.truncated).toBe(true);
    expect(preview.moreRows).toBe(true);
    expect(preview.problems).toEqual([]);
  });
  it("draws an SVG only through an image data: URL, never as markup in the page", () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="4" height="4"/></svg>';
    const preview = buildArtifactPreview("svg", utf8(svg), false);
    expect(preview).toEqual({ kind: "svg", src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` });
    expect(buildArtifactPreview("svg", new Uint8Array(PREVIEW_SVG_BYTES), true)).toMatchObject({ kind: "binary", reason: { code: "svgTooLarge", megabytes: PREVIEW_SVG_BYTES / 1024 / 1024 } });
  });
});
