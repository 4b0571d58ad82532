// A local copy of content-addressed objects for readers that need a file on disk (DuckDB): keyed by digest, so a
// cached copy never goes stale; written to a temp file and renamed, so a reader never sees half a file; least
// recently used copies evicted once the folder passes its size cap.
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";
import { Transform, type Readable, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";

const TEMP_MARK = ".incoming-";

export class ReadCache {
  /** Fills in flight in this process, so concurrent readers of one object download it once. */
  private readonly filling = new Map<string, Promise<string>>();

  /**
   * Copies handed out within this many milliseconds are not evicted, even past the cap: a reader is handed a path
   * and opens it later, possibly several times (DuckDB opens the file again for each pass of a profile or an
   * evaluation), possibly in another process sharing the folder, so recently handed-out copies may be in use. The cap
   * is therefore soft by what was fetched within that window.
   */
  private readonly inUseMs: number;

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
    options: { inUseMs?: number } = {},
  ) {
    this.inUseMs = options.inUseMs ?? 10 * 60_000;
  }

  /**
   * The path of the cached copy of `name` (`<sha256>.<ext>`), fetched with `open` when missing. The copy's SHA-256
   * is checked against its name before it is kept: a damaged download is never cached.
   */
  async file(name: string, open: () => Promise<Readable>): Promise<string> {
    const digest = /^([0-9a-f]{64})\.[a-z0-9]+$/.exec(name)?.[1];
    if (!digest) throw new Error(`Cache entries are named <sha256>.<ext>, not '${name}'.`);
    const target = path.join(this.dir, name);
    const hit = await stat(target).catch(() => null);
    if (hit?.isFile()) {
      // The modification time is the recency the eviction goes by (atime is often not kept: noatime mounts).
      const now = new Date();
      await utimes(target, now, now).catch(() => undefined);
      return target;
    }
    let pending = this.filling.get(name);
    if (!pending) {
      pending = this.fill(target, digest, open).finally(() => this.filling.delete(name));
      this.filling.set(name, pending);
    }
    return pending;
  }

  private async fill(target: string, digest: string, open: () => Promise<Readable>): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temp = path.join(this.dir, `${TEMP_MARK}${randomUUID()}`);
    const hash = createHash("sha256");
    const hashing = new Transform({
      transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(await open(), hashing, createWriteStream(temp, { mode: 0o600 }));
      const got = hash.digest("hex");
      if (got !== digest) throw new Error(`The object store returned bytes with SHA-256 ${got} for ${path.basename(target)}; the copy was not cached.`);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await this.evict(target);
    return target;
  }

  /**
   * Removes the least recently used copies until the folder is under its cap, never `keep` (just fetched for a
   * reader) nor a copy used in the last `inUseMs`. A reader that already opened an evicted file reads on: on POSIX
   * the bytes stay until it closes it.
   */
  async evict(keep?: string): Promise<{ removed: number; bytes: number }> {
    const recent = Date.now() - this.inUseMs;
    const entries: { file: string; size: number; used: number }[] = [];
    for (const name of await readdir(this.dir).catch(() => [] as string[])) {
      if (name.startsWith(TEMP_MARK)) continue;
      const file = path.join(this.dir, name);
      const info = await stat(file).catch(() => null);
      if (info?.isFile()) entries.push({ file, size: info.size, used: info.mtimeMs });
    }
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    let removed = 0;
    for (const entry of entries.sort((a, b) => a.used - b.used)) {
      if (total <= this.maxBytes) break;
      if (entry.file === keep || entry.used > recent) continue;
      await rm(entry.file, { force: true });
      total -= entry.size;
      removed += 1;
    }
    return { removed, bytes: total };
  }

  /** Drops a copy, e.g. when its version is deleted. */
  async forget(name: string): Promise<void> {
    await rm(path.join(this.dir, path.basename(name)), { force: true });
  }
}
