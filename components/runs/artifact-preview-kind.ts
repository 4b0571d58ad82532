// What the run page can show of an artifact, decided from its name and first bytes: pure, so it is unit tested.
import Papa from "papaparse";

/** Text, JSON and tables show at most this many bytes: enough to read, small enough for any page. */
export const PREVIEW_TEXT_BYTES = 256 * 1024;
/** A table shows at most this many data rows below its header. */
export const PREVIEW_TABLE_ROWS = 500;
/** An SVG is inlined as a data: URL, so it is read whole; larger ones are only offered for download. */
export const PREVIEW_SVG_BYTES = 2 * 1024 * 1024;

export type ArtifactPreviewKind = "text" | "json" | "csv" | "tsv" | "image" | "svg" | "none";

const textExtensions = new Set([
  "txt", "log", "md", "markdown", "rst", "py", "ipynb", "r", "sql", "sh", "bash", "js", "ts", "java", "scala", "c", "h", "cpp", "go", "rs",
  "yaml", "yml", "toml", "ini", "cfg", "conf", "properties", "env", "xml", "html", "htm", "css", "jsonl", "ndjson", "mlmodel", "lock", "dockerfile",
]);
/** Files MLflow and training code write without an extension, all plain text. */
const textFileNames = new Set(["mlmodel", "dockerfile", "makefile", "license", "readme", "requirements", "conda", "procfile"]);
const rasterExtensions = new Set(["png", "jpg", "jpeg", "gif", "webp"]);

function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function extensionOf(path: string): string {
  const name = fileNameOf(path);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : "";
}

export function artifactPreviewKind(path: string): ArtifactPreviewKind {
  const ext = extensionOf(path);
  if (ext === "json") return "json";
  if (ext === "csv") return "csv";
  if (ext === "tsv") return "tsv";
  if (ext === "svg") return "svg";
  if (rasterExtensions.has(ext)) return "image";
  if (textExtensions.has(ext)) return "text";
  if (!ext && textFileNames.has(fileNameOf(path).toLowerCase())) return "text";
  return "none";
}

/**
 * The `?artifact=` value as a run-relative file path, or null when it is missing or not a plain
 * relative path. Relative segments are refused because the browser would resolve them in the proxy
 * URL and the preview would show another run's file under this run's name.
 */
export function selectedArtifactPath(param: string | null): string | null {
  if (!param || param.length > 4000) return null;
  const segments = param.split("/");
  if (segments.some((s) => s === "" || s === "." || s === "..") || param.includes("\\")) return null;
  return param;
}

/** The same page with `artifact` set to the path (or removed), keeping the page's other query parameters. */
export function artifactSelectionHref(pathname: string, search: string, path: string | null): string {
  const params = new URLSearchParams(search);
  if (path === null) params.delete("artifact");
  else params.set("artifact", path);
  const query = params.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/**
 * Reads at most `limit` bytes of a download and cancels the rest, since the artifact proxy always
 * sends whole files. `truncated` says whether the file had more.
 */
export async function readFirstBytes(body: ReadableStream<Uint8Array> | null, limit: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  if (!body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    if (received > limit) {
      truncated = true;
      await reader.cancel();
      break;
    }
  }
  const bytes = new Uint8Array(Math.min(received, limit));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.byteLength - offset);
    bytes.set(part, offset);
    offset += part.byteLength;
    if (offset === bytes.byteLength) break;
  }
  return { bytes, truncated };
}

/** A NUL byte near the start is the usual sign of a binary file that was given a text-like name. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** UTF-8 text of the bytes; a character cut in half by truncation is dropped rather than shown as �. */
export function decodeText(bytes: Uint8Array, truncated: boolean): string {
  const text = new TextDecoder("utf-8").decode(bytes);
  return truncated ? text.replace(/\uFFFD+$/, "") : text;
}

/** Why a text preview carries a note; the pane words it in the reader's language. */
export type ArtifactPreviewNote = { code: "jsonCut" } | { code: "jsonInvalid"; detail: string };
/** Why a file has no preview; the pane words it in the reader's language. */
export type NoPreviewReason = { code: "svgTooLarge"; megabytes: number } | { code: "binaryData" };

export type ArtifactPreview =
  | { kind: "text"; text: string; truncated: boolean; note?: ArtifactPreviewNote }
  | { kind: "json"; pretty: string }
  | { kind: "table"; header: string[]; rows: string[][]; moreRows: boolean; truncated: boolean; problems: string[] }
  | { kind: "svg"; src: string }
  | { kind: "binary"; reason: NoPreviewReason };

function textPreview(bytes: Uint8Array, truncated: boolean, note?: ArtifactPreviewNote): ArtifactPreview {
  return { kind: "text", text: decodeText(bytes, truncated), truncated, ...(note ? { note } : {}) };
}

/** Turns the first bytes of a text, JSON, CSV/TSV or SVG artifact into what the preview pane shows. */
export function buildArtifactPreview(kind: Exclude<ArtifactPreviewKind, "image" | "none">, bytes: Uint8Array, truncated: boolean): ArtifactPreview {
  if (kind === "svg") {
    if (truncated) return { kind: "binary", reason: { code: "svgTooLarge", megabytes: PREVIEW_SVG_BYTES / 1024 / 1024 } };
    // A data: URL in an <img> draws the picture but never runs the scripts an SVG may carry.
    return { kind: "svg", src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(decodeText(bytes, false))}` };
  }
  if (looksBinary(bytes)) return { kind: "binary", reason: { code: "binaryData" } };
  if (kind === "text") return textPreview(bytes, truncated);
  if (kind === "json") {
    if (truncated) return textPreview(bytes, truncated, { code: "jsonCut" });
    const text = decodeText(bytes, false);
    try {
      return { kind: "json", pretty: JSON.stringify(JSON.parse(text), null, 2) };
    } catch (error) {
      return textPreview(bytes, false, { code: "jsonInvalid", detail: error instanceof Error ? error.message : "parse error" });
    }
  }
  return parseTable(decodeText(bytes, truncated), kind === "tsv" ? "\t" : ",", truncated);
}

function parseTable(text: string, delimiter: string, truncated: boolean): ArtifactPreview {
  // One row more than shown tells whether there are more; the header is row 0.
  const parsed = Papa.parse<string[]>(text, { delimiter, preview: PREVIEW_TABLE_ROWS + 2, skipEmptyLines: true });
  const all = parsed.data;
  // When the bytes were cut, the last row read may be cut too: drop it rather than show half a row.
  if (truncated && all.length <= PREVIEW_TABLE_ROWS + 1) all.pop();
  const [header = [], ...body] = all;
  const moreRows = body.length > PREVIEW_TABLE_ROWS || truncated;
  const shownRows = Math.min(all.length, PREVIEW_TABLE_ROWS + 1);
  const problems = [
    ...new Set(parsed.errors.filter((e) => e.row !== undefined && e.row < shownRows).map((e) => `Row ${(e.row ?? 0) + 1}: ${e.message}`)),
  ].slice(0, 3);
  return { kind: "table", header, rows: body.slice(0, PREVIEW_TABLE_ROWS), moreRows, truncated, problems };
}
