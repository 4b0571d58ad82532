// Serves Monaco's prebuilt editor (node_modules/monaco-editor/min/vs) from the studio itself, so the editor works offline.
import { responseBodyOf } from "../http/response-body";
import { createReadStream, readFileSync } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import path from "node:path";

const MONACO_PACKAGE = path.join(process.cwd(), "node_modules", "monaco-editor");
const MONACO_ROOT = path.join(MONACO_PACKAGE, "min", "vs");

// The browser only ever asks for scripts and style sheets (fonts and images are inlined in editor.main.css).
const CONTENT_TYPES = new Map([
  [".js", "text/javascript; charset=utf-8"],
  [".css", "text/css; charset=utf-8"],
]);

let installedVersion: string | undefined;

/** The installed monaco-editor version; it is part of every asset URL, so the files may be cached for good. */
export function installedMonacoVersion(): string {
  installedVersion ??= (JSON.parse(readFileSync(path.join(MONACO_PACKAGE, "package.json"), "utf8")) as { version: string }).version;
  return installedVersion;
}

export interface MonacoAsset {
  body: ReadableStream<Uint8Array>;
  contentType: string;
  size: number;
}

/** Opens one file under min/vs, or null for anything else: another version, `..`, odd characters, other file types, links out. */
export async function openMonacoAsset(version: string, segments: readonly string[]): Promise<MonacoAsset | null> {
  if (version !== installedMonacoVersion()) return null;
  if (segments.length === 0 || segments.some((segment) => !/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(segment))) return null;
  const contentType = CONTENT_TYPES.get(path.extname(segments[segments.length - 1]));
  if (contentType === undefined) return null;
  let file: string;
  try {
    const root = await realpath(MONACO_ROOT);
    file = await realpath(path.join(MONACO_ROOT, ...segments));
    if (!file.startsWith(root + path.sep)) return null;
    const info = await stat(file);
    if (!info.isFile()) return null;
    const body = responseBodyOf(createReadStream(file));
    return { body, contentType, size: info.size };
  } catch {
    return null;
  }
}
