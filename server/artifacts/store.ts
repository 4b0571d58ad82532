// Artifact storage behind one small interface; the local-folder store confines every path to its root.
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, realpath, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DomainError, invalidParameter, isDomainError, notFound } from "../errors";

export interface ArtifactEntry {
  path: string;
  isDir: boolean;
  fileSize?: number;
}

export interface ArtifactStore {
  /** Writes a whole file atomically: readers see the old file or the new one, never a part. */
  put(relativePath: string, body: Readable | Uint8Array, options?: { maxBytes?: number }): Promise<{ size: number }>;
  get(relativePath: string): Promise<{ stream: Readable; size: number }>;
  /** Direct children of a folder ("" is the root); an absent folder lists as empty. */
  list(relativeDir: string): Promise<ArtifactEntry[]>;
  delete(relativePath: string): Promise<void>;
}

/**
 * Normalises a client-supplied artifact path and refuses anything that could leave the root:
 * absolute paths, `..` segments, backslashes and NUL bytes.
 */
export function normaliseArtifactPath(input: string): string {
  if (input.includes("\0")) throw invalidParameter("Artifact path must not contain NUL bytes.");
  if (input.includes("\\")) throw invalidParameter("Artifact path must use '/' separators, not '\\'.");
  if (input.startsWith("/") || /^[a-zA-Z]:/.test(input)) {
    throw invalidParameter(`Artifact path '${input}' must be relative to the artifact root.`);
  }
  const segments = input.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.some((s) => s === "..")) {
    throw invalidParameter(`Artifact path '${input}' must not contain '..' segments.`);
  }
  return segments.join("/");
}

class SizeLimit extends Transform {
  private seen = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) {
      done(new DomainError("REQUEST_TOO_LARGE", `Artifact is larger than the ${this.maxBytes}-byte upload limit (STUDIO_MAX_ARTIFACT_BYTES).`));
      return;
    }
    done(null, chunk);
  }
}

/**
 * File-system refusals that a client's path causes (a name too long, a file where a folder is expected) as the
 * client's error; anything else (permissions, a full disk) stays a server fault.
 */
function clientPathFault(error: unknown, relativePath: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const shown = relativePath.slice(0, 200);
  switch (code) {
    case "ENOENT":
      return notFound(`Artifact '${shown}' does not exist.`);
    case "ENAMETOOLONG":
      return invalidParameter(`Artifact path '${shown}' has a name too long for the store (at most 255 bytes per segment).`);
    case "ENOTDIR":
    case "EEXIST":
      return invalidParameter(`Artifact path '${shown}' passes through a file as if it were a folder.`);
    case "EISDIR":
      return invalidParameter(`Artifact path '${shown}' is a folder; name a file inside it.`);
    default:
      return error;
  }
}

export class LocalArtifactStore implements ArtifactStore {
  constructor(readonly root: string) {}

  /** Resolves a path inside the root and checks that no symlink on the way leads outside it. */
  private async resolve(relativePath: string): Promise<string> {
    const clean = normaliseArtifactPath(relativePath);
    await mkdir(this.root, { recursive: true });
    const realRoot = await realpath(this.root);
    const target = path.join(realRoot, clean);
    let existing = target;
    for (;;) {
      try {
        const real = await realpath(existing);
        if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
          throw invalidParameter(`Artifact path '${relativePath}' leaves the artifact root.`);
        }
        break;
      } catch (error) {
        if (isDomainError(error)) throw error;
        const parent = path.dirname(existing);
        if (parent === existing) break;
        existing = parent;
      }
    }
    return target;
  }

  async put(relativePath: string, body: Readable | Uint8Array, options: { maxBytes?: number } = {}) {
    try {
      return await this.write(relativePath, body, options);
    } catch (error) {
      throw clientPathFault(error, relativePath);
    }
  }

  private async write(relativePath: string, body: Readable | Uint8Array, options: { maxBytes?: number }) {
    const target = await this.resolve(relativePath);
    if (normaliseArtifactPath(relativePath) === "") throw invalidParameter("Artifact path must name a file.");
    await mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.${randomUUID()}.partial`;
    const source = body instanceof Readable ? body : Readable.from([Buffer.from(body)]);
    try {
      if (options.maxBytes) await pipeline(source, new SizeLimit(options.maxBytes), createWriteStream(temp));
      else await pipeline(source, createWriteStream(temp));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { size: (await stat(target)).size };
  }

  async get(relativePath: string) {
    const target = await this.resolve(relativePath);
    const info = await stat(target).catch(() => null);
    if (!info || !info.isFile()) throw notFound(`Artifact '${relativePath}' does not exist.`);
    // Opened before answering, so a file removed in between is a 404 rather than a broken download.
    const stream = createReadStream(target);
    await new Promise<void>((resolve, reject) => {
      stream.once("open", () => resolve());
      stream.once("error", reject);
    }).catch((error: unknown) => {
      throw clientPathFault(error, relativePath);
    });
    return { stream, size: info.size };
  }

  async list(relativeDir: string): Promise<ArtifactEntry[]> {
    const dir = await this.resolve(relativeDir);
    const prefix = normaliseArtifactPath(relativeDir);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    // An entry removed while listing is left out rather than failing the whole list.
    const listed: ArtifactEntry[] = [];
    for (const entry of entries) {
      if (entry.name.endsWith(".partial")) continue;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) listed.push({ path: rel, isDir: true });
      else if (entry.isFile()) {
        const info = await stat(path.join(dir, entry.name)).catch(() => null);
        if (info) listed.push({ path: rel, isDir: false, fileSize: info.size });
      }
    }
    return listed.sort((a, b) => a.path.localeCompare(b.path));
  }

  async delete(relativePath: string) {
    const target = await this.resolve(relativePath);
    await rm(target, { recursive: true, force: true }).catch((error: unknown) => {
      throw clientPathFault(error, relativePath);
    });
  }
}
