// The ArtifactStore contract, run case for case against the local folder and an S3-compatible server on loopback.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { LocalArtifactStore, type ArtifactStore } from "./store";
import { S3ArtifactStore } from "./s3-store";
import { createS3Client, objectStorageConfig, objectStorageProblem } from "./object-storage";
import { startTestS3Server, type TestS3Server } from "../testing/s3-test-server";

async function text(store: ArtifactStore, p: string): Promise<string> {
  const { stream } = await store.get(p);
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest("hex");
}

/** `total` bytes of a repeatable pattern, produced chunk by chunk: never held whole in memory. */
function patternStream(total: number, chunk = 64 * 1024): { stream: Readable; sha256: string } {
  const hash = createHash("sha256");
  const block = Buffer.alloc(chunk);
  for (let i = 0; i < chunk; i++) block[i] = (i * 31 + 7) & 0xff;
  for (let sent = 0; sent < total; sent += chunk) hash.update(block.subarray(0, Math.min(chunk, total - sent)));
  async function* generate() {
    for (let sent = 0; sent < total; sent += chunk) yield block.subarray(0, Math.min(chunk, total - sent));
  }
  return { stream: Readable.from(generate()), sha256: hash.digest("hex") };
}

let s3: TestS3Server;
let client: S3Client;
let localRoot: string;

beforeAll(async () => {
  s3 = await startTestS3Server();
  const config = objectStorageConfig(s3.env)!;
  process.env.AWS_ACCESS_KEY_ID ??= s3.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= s3.secretAccessKey;
  client = createS3Client(config);
  localRoot = await mkdtemp(path.join(os.tmpdir(), "store-contract-"));
});
afterAll(async () => {
  client?.destroy();
  await s3?.stop();
  if (localRoot) await rm(localRoot, { recursive: true, force: true });
});

const stores: [string, () => ArtifactStore][] = [
  ["local folder", () => new LocalArtifactStore(localRoot)],
  ["S3-compatible server", () => new S3ArtifactStore(client, s3.bucket, "contract/artifacts")],
];

describe.each(stores)("ArtifactStore contract: %s", (_name, makeStore) => {
  let store: ArtifactStore;
  let base: string;
  beforeAll(() => {
    store = makeStore();
  });
  let n = 0;
  const fresh = () => `case-${++n}`;

  it("writes, reads and replaces a file, and reports its size", async () => {
    base = fresh();
    expect(await store.put(`${base}/a/notes.txt`, new TextEncoder().encode("hello"))).toEqual({ size: 5 });
    expect(await text(store, `${base}/a/notes.txt`)).toBe("hello");
    expect(await store.put(`${base}/a/notes.txt`, Readable.from([Buffer.from("hello "), Buffer.from("again")]))).toEqual({ size: 11 });
    const { size } = await store.get(`${base}/a/notes.txt`);
    expect(size).toBe(11);
    expect(await text(store, `${base}/a/notes.txt`)).toBe("hello again");
  });

  it("lists a folder's direct children, folders and files with sizes; an absent folder lists empty", async () => {
    base = fresh();
    await store.put(`${base}/model/MLmodel`, Buffer.from("flavors: {}\n"));
    await store.put(`${base}/model/data/weights.bin`, new Uint8Array([0, 1, 2, 255]));
    await store.put(`${base}/model/data/deeper/x.txt`, Buffer.from("x"));
    await store.put(`${base}/notes v1.txt`, Buffer.from("hello"));
    expect(await store.list(`${base}/model`)).toEqual([
      { path: `${base}/model/data`, isDir: true },
      { path: `${base}/model/MLmodel`, isDir: false, fileSize: 12 },
    ]);
    expect(await store.list(`${base}/`)).toEqual([
      { path: `${base}/model`, isDir: true },
      { path: `${base}/notes v1.txt`, isDir: false, fileSize: 5 },
    ]);
    expect(await store.list(`${base}/absent`)).toEqual([]);
    expect((await store.list("")).map((e) => e.path)).toContain(base);
  });

  it("deletes a file, a folder with all it holds, and an absent path without error", async () => {
    base = fresh();
    await store.put(`${base}/keep.txt`, Buffer.from("k"));
    await store.put(`${base}/gone/a.txt`, Buffer.from("a"));
    await store.put(`${base}/gone/sub/b.txt`, Buffer.from("b"));
    await store.delete(`${base}/gone`);
    expect(await store.list(base)).toEqual([{ path: `${base}/keep.txt`, isDir: false, fileSize: 1 }]);
    await expect(store.get(`${base}/gone/sub/b.txt`)).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
    await store.delete(`${base}/keep.txt`);
    await store.delete(`${base}/never-there.txt`);
    expect(await store.list(base)).toEqual([]);
  });

  it("answers a missing file or a folder read as a file with RESOURCE_DOES_NOT_EXIST", async () => {
    base = fresh();
    await store.put(`${base}/dir/file.txt`, Buffer.from("f"));
    await expect(store.get(`${base}/nothing.txt`)).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST", httpStatus: 404 });
    await expect(store.get(`${base}/dir`)).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
  });

  it("refuses paths that could leave the root, for every operation", async () => {
    for (const bad of ["../escape.txt", "a/../../b", "/etc/passwd", "C:/x", "a\\..\\b", "nul\0.txt"]) {
      await expect(store.put(bad, Buffer.from("x")), bad).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE" });
      await expect(store.get(bad), bad).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE" });
      await expect(store.list(bad), bad).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE" });
      await expect(store.delete(bad), bad).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE" });
    }
    await expect(store.put("", Buffer.from("x"))).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE" });
  });

  it("refuses a file over maxBytes while streaming, leaving the previous file (or nothing) in place", async () => {
    base = fresh();
    await store.put(`${base}/model.bin`, Buffer.from("old bytes"));
    const big = patternStream(6 * 1024 * 1024);
    await expect(store.put(`${base}/model.bin`, big.stream, { maxBytes: 1024 * 1024 })).rejects.toMatchObject({ code: "REQUEST_TOO_LARGE" });
    expect(await text(store, `${base}/model.bin`)).toBe("old bytes");
    const other = patternStream(6 * 1024 * 1024);
    await expect(store.put(`${base}/new.bin`, other.stream, { maxBytes: 1024 * 1024 })).rejects.toMatchObject({ code: "REQUEST_TOO_LARGE" });
    await expect(store.get(`${base}/new.bin`)).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
    expect(await store.list(base)).toEqual([{ path: `${base}/model.bin`, isDir: false, fileSize: 9 }]);
  });

  it("keeps the previous file when the upload's source fails midway", async () => {
    base = fresh();
    await store.put(`${base}/f.bin`, Buffer.from("before"));
    async function* failing() {
      yield Buffer.alloc(1024 * 1024, 1);
      throw new Error("client went away");
    }
    await expect(store.put(`${base}/f.bin`, Readable.from(failing()))).rejects.toThrow("client went away");
    expect(await text(store, `${base}/f.bin`)).toBe("before");
  });

  it("streams a 12 MiB file in and out intact", async () => {
    base = fresh();
    const big = patternStream(12 * 1024 * 1024 + 123);
    expect(await store.put(`${base}/big.bin`, big.stream)).toEqual({ size: 12 * 1024 * 1024 + 123 });
    const { stream, size } = await store.get(`${base}/big.bin`);
    expect(size).toBe(12 * 1024 * 1024 + 123);
    expect(await sha256Of(stream)).toBe(big.sha256);
  });
});

describe("S3 store specifics", () => {
  it("uploads a file over one part as a multipart upload and leaves no parts of a refused one", async () => {
    const recording = createS3Client(objectStorageConfig(s3.env)!);
    const commands: string[] = [];
    recording.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(context.commandName as string);
        return next(args);
      },
      { step: "initialize" },
    );
    try {
      const store = new S3ArtifactStore(recording, s3.bucket, "multipart");
      const big = patternStream(20 * 1024 * 1024);
      await store.put("big.bin", big.stream);
      // 20 MiB in 8 MiB parts: three parts, never one 20 MiB PUT.
      expect(commands.filter((c) => c === "UploadPartCommand")).toHaveLength(3);
      expect(commands).toContain("CompleteMultipartUploadCommand");
      expect(commands).not.toContain("PutObjectCommand");
      expect(await sha256Of((await store.get("big.bin")).stream)).toBe(big.sha256);
      commands.length = 0;
      await expect(store.put("refused.bin", patternStream(20 * 1024 * 1024).stream, { maxBytes: 10 * 1024 * 1024 })).rejects.toMatchObject({ code: "REQUEST_TOO_LARGE" });
      // Its first 8 MiB part had gone up before the limit was passed: the multipart upload is aborted, not completed.
      expect(commands).toContain("AbortMultipartUploadCommand");
      expect(commands).not.toContain("CompleteMultipartUploadCommand");
      const keys = (await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: "multipart/" }))).Contents?.map((c) => c.Key);
      expect(keys).toEqual(["multipart/big.bin"]);
    } finally {
      recording.destroy();
    }
  });

  it("keeps each store inside its key prefix", async () => {
    const a = new S3ArtifactStore(client, s3.bucket, "tenant-a");
    const b = new S3ArtifactStore(client, s3.bucket, "tenant-b");
    await a.put("x.txt", Buffer.from("a"));
    expect(await b.list("")).toEqual([]);
    await expect(b.get("x.txt")).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
    await expect(b.get("../tenant-a/x.txt")).rejects.toMatchObject({ code: "INVALID_PARAMETER_VALUE" });
  });

  it("reads its configuration from the environment and says what is wrong with it", async () => {
    expect(objectStorageConfig({})).toBeNull();
    expect(objectStorageConfig({ STUDIO_ARTIFACTS: "/srv/studio/artifacts" })).toBeNull();
    expect(objectStorageConfig({ STUDIO_ARTIFACTS: "s3://my-bucket/team/prod/", STUDIO_S3_ENDPOINT: "http://127.0.0.1:9000" })).toEqual({
      bucket: "my-bucket",
      prefix: "team/prod",
      endpoint: "http://127.0.0.1:9000",
      region: "us-east-1",
    });
    expect(() => objectStorageConfig({ STUDIO_ARTIFACTS: "gs://bucket/x" })).toThrow(/s3:\/\/<bucket>\/<prefix>/);
    expect(() => objectStorageConfig({ STUDIO_ARTIFACTS: "s3://Bad_Bucket/x" })).toThrow(/not a valid S3 bucket name/);
    expect(() => objectStorageConfig({ STUDIO_ARTIFACTS: "s3://bucket/x", STUDIO_S3_ENDPOINT: "127.0.0.1:9000" })).toThrow(/http:\/\/ or https:\/\//);

    const config = objectStorageConfig(s3.env)!;
    expect(await objectStorageProblem(config, client)).toBeNull();
    const missing = { ...config, bucket: "no-such-bucket" };
    expect(await objectStorageProblem(missing, client)).toMatch(/the bucket 'no-such-bucket' does not exist/);
    const down = { ...config, endpoint: "http://127.0.0.1:9" };
    const downClient = createS3Client(down);
    try {
      expect(await objectStorageProblem(down, downClient, 1_000)).toMatch(/does not answer.*STUDIO_S3_ENDPOINT/);
    } finally {
      downClient.destroy();
    }
  });
});
