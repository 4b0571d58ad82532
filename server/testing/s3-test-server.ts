// A real S3-compatible server (s3rver: the S3 REST API over HTTP, objects in a folder) on loopback, for tests and the
// team-topology test: the studio's S3 client talks to it exactly as it would to MinIO or AWS, signatures checked.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";

export interface TestS3Server {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** STUDIO_ARTIFACTS / STUDIO_S3_ENDPOINT / AWS_* for a child process (or process.env) to use this server. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** s3rver's one account: it refuses requests signed with any other key. */
const ACCESS_KEY_ID = "S3RVER";
const SECRET_ACCESS_KEY = "S3RVER";

export async function startTestS3Server(options: { dir?: string; port?: number; bucket?: string; prefix?: string } = {}): Promise<TestS3Server> {
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), "studio-s3-")));
  const bucket = options.bucket ?? "studio";
  const server = new S3rver({ address: "127.0.0.1", port: options.port ?? 0, silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const prefix = options.prefix ?? "studio";
  return {
    endpoint,
    bucket,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET_ACCESS_KEY,
    env: {
      STUDIO_ARTIFACTS: `s3://${bucket}/${prefix}`,
      STUDIO_S3_ENDPOINT: endpoint,
      STUDIO_S3_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
    },
    async stop() {
      await server.close();
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * As a process of its own (`npx tsx server/testing/s3-test-server.ts [--port N] [--dir D]`): prints the env JSON on
 * one line once it listens, and runs until SIGTERM/SIGINT. For tests that start the studio's processes around it.
 */
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const arg = (name: string) => {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const server = await startTestS3Server({ port: arg("port") ? Number(arg("port")) : undefined, dir: arg("dir") });
  console.log(JSON.stringify(server.env));
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => void server.stop().then(() => process.exit(0)));
  }
}
