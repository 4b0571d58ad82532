// Which store holds artifacts, model bytes and dataset versions: STUDIO_ARTIFACTS=s3://bucket/prefix selects an
// S3-compatible object store (STUDIO_S3_ENDPOINT, STUDIO_S3_REGION, the AWS SDK's credential chain); anything else
// keeps the local folders.
import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { S3ArtifactStore } from "./s3-store";

export interface ObjectStorageConfig {
  bucket: string;
  /** Folder inside the bucket, "" for its root, without slashes at either end. */
  prefix: string;
  endpoint?: string;
  region: string;
}

type Env = Record<string, string | undefined>;

/** The object storage the environment asks for, or null for the local folders; a malformed value throws a message that says what to fix. */
export function objectStorageConfig(env: Env = process.env): ObjectStorageConfig | null {
  const location = env.STUDIO_ARTIFACTS?.trim();
  if (!location || !/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return null;
  const match = /^s3:\/\/([^/]+)\/?(.*)$/i.exec(location);
  if (!match) {
    throw new Error(`STUDIO_ARTIFACTS='${location}' is not understood: use s3://<bucket>/<prefix> for an S3-compatible store, or a local folder path.`);
  }
  const [, bucket, rawPrefix] = match;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(`STUDIO_ARTIFACTS names the bucket '${bucket}', which is not a valid S3 bucket name (3-63 lower-case letters, digits, '.' and '-').`);
  }
  const prefix = rawPrefix.split("/").filter(Boolean).join("/");
  if (prefix.split("/").some((s) => s === "." || s === "..")) throw new Error(`STUDIO_ARTIFACTS='${location}': the prefix must not contain '.' or '..' segments.`);
  const endpoint = env.STUDIO_S3_ENDPOINT?.trim() || undefined;
  if (endpoint && !/^https?:\/\/[^/]+/i.test(endpoint)) throw new Error(`STUDIO_S3_ENDPOINT='${endpoint}' must be an http:// or https:// URL, e.g. http://127.0.0.1:9000.`);
  return { bucket, prefix, endpoint, region: env.STUDIO_S3_REGION?.trim() || env.AWS_REGION?.trim() || "us-east-1" };
}

export function createS3Client(config: ObjectStorageConfig): S3Client {
  return new S3Client({
    region: config.region,
    // A custom endpoint (MinIO, Ceph, a test server) is addressed by path: bucket names need no DNS of their own.
    ...(config.endpoint ? { endpoint: config.endpoint, forcePathStyle: true } : {}),
    // Checksums only where S3 requires them: the SDK's newer default trailers are not understood by every
    // S3-compatible server, and the studio checks its content-addressed files by their SHA-256 itself.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

function joinPrefix(prefix: string, folder: string): string {
  return prefix ? `${prefix}/${folder}` : folder;
}

/**
 * The two stores of one bucket. Run artifacts (and the registry's model store inside them) live under
 * `<prefix>/artifacts`, dataset versions under `<prefix>/datasets`, as the local folders are laid out: the MLflow
 * artifact proxy, confined to the artifact store, cannot reach a dataset version's bytes.
 */
export function objectStores(config: ObjectStorageConfig, client = createS3Client(config)): { artifacts: S3ArtifactStore; datasets: S3ArtifactStore } {
  return {
    artifacts: new S3ArtifactStore(client, config.bucket, joinPrefix(config.prefix, "artifacts")),
    datasets: new S3ArtifactStore(client, config.bucket, joinPrefix(config.prefix, "datasets")),
  };
}

/** What is wrong with the object storage, in words an operator can act on, or null when its bucket answers. */
export async function objectStorageProblem(config: ObjectStorageConfig, client: S3Client, timeoutMs = 2_000): Promise<string | null> {
  const where = `s3://${config.bucket}/${config.prefix}${config.endpoint ? ` at ${config.endpoint}` : ""}`;
  try {
    await client.send(new HeadBucketCommand({ Bucket: config.bucket }), { abortSignal: AbortSignal.timeout(timeoutMs) });
    return null;
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (status === 404 || e.name === "NotFound" || e.name === "NoSuchBucket") return `Object storage ${where}: the bucket '${config.bucket}' does not exist; create it or fix STUDIO_ARTIFACTS.`;
    if (status === 403 || status === 401) return `Object storage ${where}: access to the bucket '${config.bucket}' is denied; check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.`;
    if (e.name === "CredentialsProviderError") return `Object storage ${where}: no credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`;
    return `Object storage ${where} does not answer (${e.name ?? "error"}${status ? ` ${status}` : ""}); check STUDIO_S3_ENDPOINT and that the server is up.`;
  }
}
