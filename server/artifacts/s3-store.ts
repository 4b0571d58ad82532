// The artifact store on any S3-compatible object store (AWS S3, MinIO, Ceph...): the same contract as the local folder.
import { PassThrough, Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { DomainError, invalidParameter, notFound } from "../errors";
import { normaliseArtifactPath, type ArtifactEntry, type ArtifactStore } from "./store";

/**
 * Part size of multipart uploads. lib-storage holds at most `queueSize` parts in memory per upload, so a large file
 * costs 2 x 8 MiB of memory whatever its size; files under one part go up in a single PUT.
 */
const PART_BYTES = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

/** S3 refuses keys over 1,024 bytes; said in the client's terms rather than as the store's 400. */
const MAX_KEY_BYTES = 1024;

/** Counts the bytes going through and refuses the stream once they pass the limit, before the store sees the excess. */
class ByteCounter extends Transform {
  bytes = 0;
  constructor(private readonly maxBytes?: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    this.bytes += chunk.length;
    if (this.maxBytes !== undefined && this.bytes > this.maxBytes) {
      done(new DomainError("REQUEST_TOO_LARGE", `Artifact is larger than the ${this.maxBytes}-byte upload limit (STUDIO_MAX_ARTIFACT_BYTES).`));
      return;
    }
    done(null, chunk);
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === "NoSuchKey" || e?.name === "NotFound" || e?.$metadata?.httpStatusCode === 404;
}

export class S3ArtifactStore implements ArtifactStore {
  private readonly keyPrefix: string;

  /** `keyPrefix` ("" or "a/b") is the folder of the bucket that plays the part of the local store's root. */
  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    keyPrefix: string,
  ) {
    this.keyPrefix = normaliseArtifactPath(keyPrefix);
  }

  /** Where the store lives, for messages: s3://bucket/prefix. */
  get location(): string {
    return `s3://${this.bucket}/${this.keyPrefix}`;
  }

  private key(clean: string): string {
    const key = this.keyPrefix && clean ? `${this.keyPrefix}/${clean}` : this.keyPrefix || clean;
    if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
      throw invalidParameter(`Artifact path '${clean.slice(0, 200)}' is too long for the object store (keys hold at most ${MAX_KEY_BYTES} bytes).`);
    }
    return key;
  }

  /** The key prefix of a folder's children: "" for the bucket root, else ends in "/". */
  private folderPrefix(clean: string): string {
    const key = this.key(clean);
    return key ? `${key}/` : "";
  }

  async put(relativePath: string, body: Readable | Uint8Array, options: { maxBytes?: number } = {}) {
    const clean = normaliseArtifactPath(relativePath);
    if (clean === "") throw invalidParameter("Artifact path must name a file.");
    const key = this.key(clean);
    const source = body instanceof Readable ? body : Readable.from([Buffer.from(body)]);
    const counter = new ByteCounter(options.maxBytes);
    const piped = new PassThrough();
    // An S3 PUT (and the completion of a multipart upload) is atomic: readers see the old object or the new one.
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: piped },
      partSize: PART_BYTES,
      queueSize: PARTS_IN_FLIGHT,
      // A refused or failed upload aborts its multipart upload, so no parts are left behind to be billed.
      leavePartsOnError: false,
    });
    const uploaded = upload.done();
    // A store that fails mid-upload stops reading: end the pipeline with its error rather than wait on a full buffer.
    uploaded.catch((error: unknown) => piped.destroy(error instanceof Error ? error : new Error(String(error))));
    try {
      await pipeline(source, counter, piped);
    } catch (error) {
      // The source failed or passed the limit: the pipeline destroyed the upload's body, so lib-storage stops
      // reading, never completes the upload (the object is unchanged) and aborts its multipart upload, which is
      // awaited here so no parts outlive the refusal. (Upload.abort() would answer before that abort is sent.)
      await uploaded.catch(() => undefined);
      throw error;
    }
    await uploaded;
    return { size: counter.bytes };
  }

  async get(relativePath: string) {
    const clean = normaliseArtifactPath(relativePath);
    if (clean === "") throw notFound(`Artifact '${relativePath}' does not exist.`);
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(clean) }));
      return { stream: answer.Body as Readable, size: Number(answer.ContentLength ?? 0) };
    } catch (error) {
      if (isNotFound(error)) throw notFound(`Artifact '${relativePath}' does not exist.`);
      throw error;
    }
  }

  async list(relativeDir: string): Promise<ArtifactEntry[]> {
    const clean = normaliseArtifactPath(relativeDir);
    const prefix = this.folderPrefix(clean);
    const listed: ArtifactEntry[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, Delimiter: "/", ContinuationToken: token }),
      );
      for (const folder of page.CommonPrefixes ?? []) {
        const name = folder.Prefix!.slice(prefix.length).replace(/\/$/, "");
        if (name) listed.push({ path: clean ? `${clean}/${name}` : name, isDir: true });
      }
      for (const object of page.Contents ?? []) {
        const name = object.Key!.slice(prefix.length);
        // A zero-byte "folder marker" some tools write for the folder itself is not a file in it.
        if (name) listed.push({ path: clean ? `${clean}/${name}` : name, isDir: false, fileSize: Number(object.Size ?? 0) });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return listed.sort((a, b) => a.path.localeCompare(b.path));
  }

  /** Deletes a file, or a folder with everything under it (as the local store does); an absent path is no error. */
  async delete(relativePath: string) {
    const clean = normaliseArtifactPath(relativePath);
    const keys = clean ? [this.key(clean)] : [];
    const prefix = this.folderPrefix(clean);
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) keys.push(object.Key!);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      const answer = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
      );
      const failed = (answer.Errors ?? []).filter((e) => e.Code !== "NoSuchKey");
      if (failed.length) throw new Error(`The object store refused to delete ${failed.length} object(s): ${failed[0].Code} ${failed[0].Message ?? ""}`.trim());
    }
  }
}
