// The studio on an S3-compatible object store (a real S3 REST server on loopback): MLflow artifacts, registered model
// bytes and dataset versions all land in the bucket, DuckDB reads versions through the local cache, and readiness
// says when the bucket is missing. On PGlite and, with TEST_DATABASE_URL, PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { Readable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import { datasets, modelVersions, registeredModels } from "@/db/schema";
import { queryRows } from "@/db/client";
import type { Actor } from "../auth/actor";
import { createUserAsSystem } from "../auth/accounts";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { createToken } from "../auth/tokens";
import { ObjectDatasetFileStore, useDatasetFileStore } from "../datasets/dataset-files";
import { deleteDatasetVersion } from "../datasets/delete-version";
import { handleVersionDownload } from "../datasets/http";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { registerDatasetVersion } from "../datasets/register-version";
import { getDatasetVersion } from "../datasets/registry";
import { previewDatasetVersion } from "../datasets/version-files";
import { flushInferenceLog } from "../monitoring/inference-log";
import { readinessAnswer } from "../operations/endpoints";
import { loadVersionModelBytes, modelStorePath } from "../registry/model-store";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { waitForReviewJobs } from "../review/review-jobs";
import { getReview, requestReview } from "../review/reviews";
import { defaultCriteria } from "../review/schema";
import { handleServing } from "../serving/http";
import { ModelServer } from "../serving/model-server";
import type { ServiceContext } from "../service-context";
import { mlflowWire } from "../testing/mlflow-client";
import { startTestS3Server, type TestS3Server } from "../testing/s3-test-server";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { createS3Client, objectStorageConfig, objectStorageProblem, objectStores } from "./object-storage";
import { ReadCache } from "./read-cache";

const fixtures = path.join(import.meta.dirname, "../../fixtures");
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

let s3: TestS3Server;
let client: S3Client;
beforeAll(async () => {
  s3 = await startTestS3Server();
  process.env.AWS_ACCESS_KEY_ID ??= s3.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= s3.secretAccessKey;
  client = createS3Client(objectStorageConfig(s3.env)!);
});
afterAll(async () => {
  client?.destroy();
  await s3?.stop();
});

async function keysUnder(prefix: string): Promise<string[]> {
  const answer = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
  return (answer.Contents ?? []).map((c) => c.Key!).sort();
}

describe.each(testBackends)("object storage on %s", (kind) => {
  let studio: TestStudio;
  let stores: ReturnType<typeof objectStores>;
  let scratch: string;
  let datasetRoot: string;
  let cache: ReadCache;
  let detach: () => void;
  let erin: Actor;
  const ada: Actor = { userId: "u-ada", username: "ada", role: "admin", via: "session" };
  const as = (actor: Actor): ServiceContext => ({ db: studio.db, artifacts: stores.artifacts, actor });

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    // Each backend in its own prefix of the one bucket, as two deployments sharing a bucket would be.
    stores = objectStores({ ...objectStorageConfig(s3.env)!, prefix: `team-${kind}` }, client);
    scratch = await mkdtemp(path.join(os.tmpdir(), "studio-object-storage-"));
    datasetRoot = path.join(scratch, "datasets");
    cache = new ReadCache(path.join(scratch, "cache"), 2 * 1024 ** 3);
    detach = useDatasetFileStore(datasetRoot, new ObjectDatasetFileStore(stores.datasets, cache));
    const created = await createUserAsSystem(studio.db, zCreateUser.parse({ username: `erin-${kind}`, password: "erin-password-1", role: "editor" }));
    erin = { userId: created.userId, username: created.username, role: "editor", via: "session" };
  });
  afterAll(async () => {
    detach?.();
    await flushInferenceLog();
    await studio?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("keeps MLflow run artifacts in the bucket, unchanged for MLflow clients", async () => {
    const api = mlflowWire(as(ada));
    const experimentId = (await api.post("experiments/create", { name: `s3-artifacts-${kind}` })).body.experiment_id as string;
    const runId = ((await api.post("runs/create", { experiment_id: experimentId, start_time: 1 })).body.run as { info: { run_id: string } }).info.run_id;
    const runRoot = `${experimentId}/${runId}/artifacts`;
    expect((await api.artifacts("PUT", `${runRoot}/model/MLmodel`, "flavors: {}\n")).status).toBe(200);
    expect((await api.artifacts("PUT", `${runRoot}/model/data/weights.bin`, new Uint8Array([0, 1, 2, 255]))).status).toBe(200);
    expect((await api.artifacts("PUT", `${runRoot}/notes%20v1.txt`, "hello")).status).toBe(200);
    expect(await keysUnder(`team-${kind}/artifacts/${runRoot}/`)).toEqual(
      [`model/MLmodel`, `model/data/weights.bin`, `notes v1.txt`].map((k) => `team-${kind}/artifacts/${runRoot}/${k}`).sort(),
    );
    expect(await readdir(studio.artifactRoot)).toEqual([]);

    const file = await api.artifacts("GET", `${runRoot}/model/data/weights.bin`);
    expect(file.status).toBe(200);
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([0, 1, 2, 255]);
    const top = await api.get("artifacts/list", { run_id: runId });
    expect(top.body).toEqual({
      root_uri: `mlflow-artifacts:/${runRoot}`,
      files: [
        { path: "model", is_dir: true },
        { path: "notes v1.txt", is_dir: false, file_size: 5 },
      ],
    });
    const missing = await api.artifacts("GET", `${runRoot}/nothing.txt`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error_code: string }).error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect((await api.artifacts("PUT", `${runRoot}/../../../../datasets/x.csv`, "x")).status).toBe(400);
    expect((await api.artifacts("PUT", "model-store/sha256/ab/evil.onnx", "x")).status).toBe(400);
    expect((await api.artifacts("DELETE", `${runRoot}/model`)).status).toBe(200);
    expect(await keysUnder(`team-${kind}/artifacts/${runRoot}/`)).toEqual([`team-${kind}/artifacts/${runRoot}/notes v1.txt`]);
  });

  it("stores registered model bytes by digest in the bucket, serves them and evaluates a review through the cache", async () => {
    const bytes = new Uint8Array(await readFile(path.join(fixtures, "models/credit-logreg.onnx")));
    const digest = sha256(bytes);
    await registerOnnxUpload(as(erin), { name: "credit", bytes });
    expect(await keysUnder(`team-${kind}/artifacts/model-store/`)).toEqual([`team-${kind}/artifacts/${modelStorePath(digest)}`]);
    const [version] = await studio.db
      .select({ versionId: modelVersions.versionId })
      .from(modelVersions)
      .innerJoin(registeredModels, eq(registeredModels.modelId, modelVersions.modelId))
      .where(eq(registeredModels.name, "credit"));
    const loaded = await loadVersionModelBytes({ db: studio.db, artifacts: stores.artifacts }, version!.versionId);
    expect(loaded.digest).toBe(digest);
    expect(sha256(loaded.bytes)).toBe(digest);

    // Served by a model server whose only store is the bucket.
    const server = new ModelServer(async () => ({ db: studio.db, artifacts: stores.artifacts }));
    try {
      const token = (await createToken(as(erin), zCreateToken.parse({ name: "s3" }))).token;
      const [header, ...lines] = (await readFile(path.join(fixtures, "datasets/credit.test.csv"), "utf8")).trim().split("\n");
      const columns = header!.split(",").slice(0, 9);
      const text = new Set(["sex", "purpose", "housing"]);
      const data = lines.slice(0, 2).map((l) => l.split(",").slice(0, 9).map((v, i) => (text.has(columns[i]!) ? v : Number(v))));
      const answer = await handleServing(
        {
          method: "POST",
          pathname: "/api/serve/credit/1/invocations",
          headers: new Headers({ authorization: `Bearer ${token}`, "content-type": "application/json" }),
          text: async () => JSON.stringify({ dataframe_split: { columns, data } }),
        },
        server,
      );
      expect(answer.status, answer.body).toBe(200);
      expect(answer.headers["x-model-digest"]).toBe(digest);
      expect((JSON.parse(answer.body) as { predictions: unknown[] }).predictions).toHaveLength(2);
    } finally {
      await server.close();
    }

    // The review's evaluation reads the test split from the bucket through the local cache.
    const test = await registerDatasetVersion(
      as(erin),
      datasetRoot,
      { name: "credit-test", format: "csv", masking: {}, labelColumn: "approved", sensitiveAttributes: ["sex"] },
      createReadStream(path.join(fixtures, "datasets/credit.test.csv")),
    );
    await waitForDatasetJobs();
    const { id } = await requestReview(
      as(erin),
      {
        modelName: "credit",
        modelVersion: "1",
        datasetName: "credit-test",
        datasetVersion: test.version.version,
        labelColumn: "approved",
        sensitiveAttributes: ["sex"],
        criteria: { ...defaultCriteria("binary"), maxGroupGap: null },
        requiredApprovals: 1,
        context: { businessGoal: "Evaluate from object storage", expectedRoi: "", knownLimits: "" },
      },
      datasetRoot,
    );
    await waitForReviewJobs();
    const review = await getReview(as(erin), id);
    expect(review.status, JSON.stringify(review)).toBe("ready");
  });

  it("uploads a dataset version to the bucket under its content address and profiles it from the cache", async () => {
    const source = await readFile(path.join(fixtures, "datasets/iris.train.csv"));
    const result = await registerDatasetVersion(as(erin), datasetRoot, { name: "iris", format: "csv", masking: {}, labelColumn: "species" }, createReadStream(path.join(fixtures, "datasets/iris.train.csv")));
    await waitForDatasetJobs();
    const detail = await getDatasetVersion(as(erin), "iris", result.version.version);
    expect(detail.profileStatus).toBe("done");
    expect(detail.profile!.rowCount).toBe(source.toString("utf8").trim().split("\n").length - 1);
    const keys = (await keysUnder(`team-${kind}/datasets/`)).filter((k) => k.endsWith(`/${detail.digest}.csv`));
    expect(keys).toHaveLength(1);
    // `<dataset id>/<upload id>/<sha256>.csv`: named by its content, in a folder of its own upload.
    expect(keys[0]).toMatch(new RegExp(`^team-${kind}/datasets/\\d+/[0-9a-f-]{36}/${detail.digest}\\.csv$`));
    // No version file on local disk but the cached copy, named by digest; the upload's temp files are gone.
    expect(await readdir(path.join(datasetRoot, ".tmp"))).toEqual([]);
    expect(await readdir(cache.dir)).toContain(`${detail.digest}.csv`);
    expect(sha256(await readFile(path.join(cache.dir, `${detail.digest}.csv`)))).toBe(detail.digest);

    const preview = await previewDatasetVersion(as(erin), { name: "iris", version: result.version.version, offset: 0, limit: 3 }, datasetRoot);
    expect(preview.rows).toHaveLength(3);
    const download = await handleVersionDownload(new Request("http://studio.test/x"), Promise.resolve({ name: "iris", version: String(result.version.version) }), {
      root: datasetRoot,
      context: async () => as(erin),
    });
    expect(download.status).toBe(200);
    expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(detail.digest);

    await deleteDatasetVersion(as(ada), datasetRoot, { name: "iris", version: result.version.version });
    expect((await keysUnder(`team-${kind}/datasets/`)).filter((k) => k.endsWith(`/${detail.digest}.csv`))).toEqual([]);
    expect(await readdir(cache.dir)).not.toContain(`${detail.digest}.csv`);
  });

  it("uploads a version before its transaction, and a commit that fails leaves neither the row nor the object", async () => {
    // Bytes of this test's own (another test looks objects up by the digest of the fixture as it is).
    const iris = await readFile(path.join(fixtures, "datasets/iris.test.csv"));
    const withRow = (row: string) => Buffer.concat([iris, Buffer.from(`${row}\n`)]);
    const first = await registerDatasetVersion(as(erin), datasetRoot, { name: "iris-commit", format: "csv", masking: {} }, Readable.from([withRow("5.0,3.3,1.4,0.2,setosa")]));
    await waitForDatasetJobs();
    const keysBefore = await keysUnder(`team-${kind}/datasets/`);
    // While the new file uploads, no transaction of this database is open (it used to run inside the one that locks
    // the dataset's row): the object storage's put is watched as it happens.
    const openTransactions: number[] = [];
    class WatchedStore extends ObjectDatasetFileStore {
      override async putFromTempFile(tempPath: string, storagePath: string): Promise<void> {
        if (kind === "postgres") {
          const rows = await queryRows<{ n: number }>(
            studio.db,
            sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%' and pid <> pg_backend_pid()`,
          );
          openTransactions.push(rows[0]!.n);
        }
        return super.putFromTempFile(tempPath, storagePath);
      }
    }
    const detachWatched = useDatasetFileStore(datasetRoot, new WatchedStore(stores.datasets, cache));
    // A check that fails at COMMIT, after every statement of the registration has succeeded (and the upload is done).
    await studio.db.execute(sql.raw(`create function refuse_commit_${kind}() returns trigger language plpgsql as $$ begin raise exception 'refused at commit'; end $$`));
    await studio.db.execute(
      sql.raw(`create constraint trigger refuse_commit after insert on dataset_versions deferrable initially deferred for each row execute function refuse_commit_${kind}()`),
    );
    try {
      const upload = async (name: string) => {
        const failure = await registerDatasetVersion(as(erin), datasetRoot, { name, format: "csv", masking: {} }, Readable.from([withRow("6.0,3.0,4.8,1.8,virginica")])).then(
          () => null,
          (error: Error & { cause?: Error }) => error,
        );
        // drizzle names the statement that failed (the commit) and keeps the database's message as the cause.
        expect(`${failure?.message} ${failure?.cause?.message}`).toMatch(/refused at commit/);
      };
      // A new version of a known dataset, and the first version of a new one (its dataset row must not stay either).
      await upload("iris-commit");
      await upload("iris-commit-new");
      const names = (await studio.db.select({ name: datasets.name }).from(datasets)).map((d) => d.name);
      expect(names).toContain("iris-commit");
      expect(names).not.toContain("iris-commit-new");
      expect((await getDatasetVersion(as(erin), "iris-commit", 1)).digest).toBe(first.version.digest);
      await expect(getDatasetVersion(as(erin), "iris-commit", 2)).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
      expect(await keysUnder(`team-${kind}/datasets/`)).toEqual(keysBefore);
      expect(await readdir(path.join(datasetRoot, ".tmp"))).toEqual([]);
      if (kind === "postgres") expect(openTransactions).toEqual([0, 0]);
    } finally {
      await studio.db.execute(sql.raw("drop trigger refuse_commit on dataset_versions"));
      await studio.db.execute(sql.raw(`drop function refuse_commit_${kind}()`));
      detachWatched();
    }
    // Without the refusal the same upload is a version 2, stored once.
    const second = await registerDatasetVersion(as(erin), datasetRoot, { name: "iris-commit", format: "csv", masking: {} }, Readable.from([withRow("6.0,3.0,4.8,1.8,virginica")]));
    await waitForDatasetJobs();
    expect(second.version.version).toBe(2);
    expect((await keysUnder(`team-${kind}/datasets/`)).filter((k) => !keysBefore.includes(k))).toEqual([expect.stringMatching(new RegExp(`/${second.version.digest}\\.csv$`))]);
  });

  it("says a version's file is missing from the object storage, rather than failing obscurely", async () => {
    const result = await registerDatasetVersion(as(erin), datasetRoot, { name: "iris-lost", format: "csv", masking: {} }, createReadStream(path.join(fixtures, "datasets/iris.test.csv")));
    await waitForDatasetJobs();
    const [key] = (await keysUnder(`team-${kind}/datasets/`)).filter((k) => k.endsWith(`/${result.version.digest}.csv`));
    await stores.datasets.delete(key!.slice(`team-${kind}/datasets/`.length));
    await cache.forget(`${result.version.digest}.csv`);
    await expect(previewDatasetVersion(as(erin), { name: "iris-lost", version: 1, offset: 0, limit: 2 }, datasetRoot)).rejects.toMatchObject({
      code: "RESOURCE_DOES_NOT_EXIST",
      message: expect.stringMatching(/missing from the object storage/),
    });
    expect(await readdir(cache.dir)).not.toContain(`${result.version.digest}.csv`);
  });

  it("keeps the cache under its cap, evicting the least recently used copy and fetching it again when needed", async () => {
    // The same root as the other tests: background jobs profile with the process's one dataset root.
    const smallRoot = datasetRoot;
    // No in-use grace here, so the eviction shows at once (the default keeps copies handed out in the last 10 minutes).
    const small = new ReadCache(path.join(scratch, "small-cache"), 2_500, { inUseMs: 0 });
    const detachSmall = useDatasetFileStore(smallRoot, new ObjectDatasetFileStore(stores.datasets, small));
    try {
      const register = (name: string, file: string) =>
        registerDatasetVersion(as(erin), smallRoot, { name, format: "csv", masking: {} }, createReadStream(path.join(fixtures, "datasets", file)));
      const train = await register("iris-train-small", "iris.train.csv");
      await waitForDatasetJobs();
      const test = await register("iris-test-small", "iris.test.csv");
      await waitForDatasetJobs();
      // 2,086 + 754 bytes do not fit under 2,500: the older copy went when the newer one arrived.
      expect(await readdir(small.dir)).toEqual([`${test.version.digest}.csv`]);
      expect((await getDatasetVersion(as(erin), "iris-train-small", 1)).profileStatus).toBe("done");
      const again = await previewDatasetVersion(as(erin), { name: "iris-train-small", version: train.version.version, offset: 0, limit: 2 }, smallRoot);
      expect(again.rows).toHaveLength(2);
      expect(await readdir(small.dir)).toEqual([`${train.version.digest}.csv`]);
    } finally {
      detachSmall();
    }
  });

  it("is not ready while the bucket is missing, and says so without naming it", async () => {
    const config = { ...objectStorageConfig(s3.env)!, bucket: "missing-bucket" };
    const down = await readinessAnswer(async () => studio.db, () => objectStorageProblem(config, client));
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toEqual({ status: "unavailable", message: expect.stringContaining("object storage (STUDIO_ARTIFACTS)") });
    expect(down.body).not.toContain("missing-bucket");
    const up = await readinessAnswer(async () => studio.db, () => objectStorageProblem(objectStorageConfig(s3.env)!, client));
    expect(up.status).toBe(200);
  });
});
