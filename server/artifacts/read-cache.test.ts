// The local read cache of object-stored files: fetched once, checked against its digest, evicted least recently used.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { ReadCache } from "./read-cache";
import { sweepStaleTempFiles } from "../datasets/temp-sweep";

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("ReadCache", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "read-cache-"));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  function object(fill: number, size = 1000) {
    const bytes = Buffer.alloc(size, fill);
    return { bytes, name: `${sha(bytes)}.csv` };
  }

  it("fetches a missing object once, even for concurrent readers, and serves later reads from disk", async () => {
    const cache = new ReadCache(dir, 10_000);
    const { bytes, name } = object(1);
    let opened = 0;
    const open = async () => {
      opened += 1;
      return Readable.from([bytes.subarray(0, 400), bytes.subarray(400)]);
    };
    const [a, b] = await Promise.all([cache.file(name, open), cache.file(name, open)]);
    expect(a).toBe(b);
    expect(await readFile(a)).toEqual(bytes);
    expect(await cache.file(name, open)).toBe(a);
    expect(opened).toBe(1);
  });

  it("refuses to keep bytes that do not match the digest in the name, leaving no partial file", async () => {
    const cache = new ReadCache(dir, 10_000);
    const { name } = object(1);
    await expect(cache.file(name, async () => Readable.from([Buffer.from("tampered")]))).rejects.toThrow(/was not cached/);
    expect(await readdir(dir)).toEqual([]);
    await expect(cache.file("../../etc/passwd", async () => Readable.from([]))).rejects.toThrow(/<sha256>\.<ext>/);
  });

  it("evicts the least recently used copies once the folder passes its cap, never the one just fetched", async () => {
    const cache = new ReadCache(dir, 2_500, { inUseMs: 0 });
    const [a, b, c] = [object(1), object(2), object(3)];
    const fetch = (o: { bytes: Buffer; name: string }) => cache.file(o.name, async () => Readable.from([o.bytes]));
    const pathA = await fetch(a);
    const pathB = await fetch(b);
    // a was used more recently than b: b is the one to go when c arrives.
    const past = new Date(Date.now() - 60_000);
    await utimes(pathA, past, past);
    await utimes(pathB, new Date(past.getTime() - 60_000), new Date(past.getTime() - 60_000));
    await fetch(a);
    await fetch(c);
    expect((await readdir(dir)).sort()).toEqual([a.name, c.name].sort());
    // One object larger than the whole cap is still served (the reader needs it) and pushes out everything else.
    const huge = object(4, 5_000);
    const hugePath = await fetch(huge);
    expect(await readFile(hugePath)).toEqual(huge.bytes);
    expect(await readdir(dir)).toEqual([huge.name]);
  });

  it("leaves unfinished downloads to the start-up sweep, which removes them once stale and keeps cached copies", async () => {
    const cache = new ReadCache(dir, 10_000);
    const kept = object(5);
    await cache.file(kept.name, async () => Readable.from([kept.bytes]));
    const stale = path.join(dir, ".incoming-9d7c1a2b-1111-4222-8333-444455556666");
    const fresh = path.join(dir, ".incoming-9d7c1a2b-1111-4222-8333-777755556666");
    await writeFile(stale, "half a download");
    await writeFile(fresh, "a download in progress");
    const longAgo = new Date(Date.now() - 7 * 3600_000);
    await utimes(stale, longAgo, longAgo);
    await utimes(path.join(dir, kept.name), longAgo, longAgo);
    // Unfinished downloads never count towards the cap nor get evicted as copies.
    expect(await cache.evict()).toEqual({ removed: 0, bytes: 1000 });
    const swept = await sweepStaleTempFiles({ datasetRoot: path.join(dir, "no-datasets"), cacheDir: dir }, { maxAgeMs: 6 * 3600_000 });
    expect(swept).toEqual({ files: 1, bytes: "half a download".length });
    expect((await readdir(dir)).sort()).toEqual([".incoming-9d7c1a2b-1111-4222-8333-777755556666", kept.name].sort());
  });

  it("does not evict a copy handed out in the last 10 minutes (a reader may still open it), even past the cap", async () => {
    const cache = new ReadCache(dir, 1_500);
    const [a, b] = [object(1), object(2)];
    await cache.file(a.name, async () => Readable.from([a.bytes]));
    await cache.file(b.name, async () => Readable.from([b.bytes]));
    expect((await readdir(dir)).sort()).toEqual([a.name, b.name].sort());
    // a was last handed out 20 minutes ago, b just now: only a may go.
    const past = new Date(Date.now() - 20 * 60_000);
    await utimes(path.join(dir, a.name), past, past);
    expect(await cache.evict()).toEqual({ removed: 1, bytes: 1000 });
    expect(await readdir(dir)).toEqual([b.name]);
  });
});
