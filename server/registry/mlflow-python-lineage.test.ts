// The stock MLflow 2.9 Python client end to end: log_input(from_pandas) + sklearn.log_model + register_model give a version
// with its run's lineage and the registry dataset, matched by MLflow's own DataFrame digest. Skips (saying why) without ~/.mlflow-py.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleArtifactProxy } from "../artifacts/proxy";
import { getDatasetLineage } from "../datasets/lineage";
import { waitForDatasetJobs } from "../datasets/profile-jobs";
import { registerDatasetVersion } from "../datasets/register-version";
import { handleMlflowApi } from "../http/mlflow-api";
import { createTestStudio, type TestStudio } from "../testing/test-database";
import { getModelVersionDetail } from "./model-versions";
import { zModelLineage } from "./schema";

const envScript = path.join(os.homedir(), ".mlflow-py", "env.sh");
const haveClient = existsSync(envScript);
if (!haveClient) console.log(`[skip] mlflow-python-lineage: ${envScript} not found (see /work/shared/tools/mlflow-python/README.md); the wire-level model-lineage.test.ts covers the same requests.`);

const script = `
import sys, mlflow, pandas as pd
from sklearn.linear_model import LogisticRegression
csv = sys.argv[1]
df = pd.read_csv(csv)
mlflow.set_experiment("python-lineage")
with mlflow.start_run(run_name="py-train") as run:
    mlflow.log_metric("accuracy", 0.97)
    mlflow.log_input(mlflow.data.from_pandas(df, source=csv, name="iris"), context="training")
    features = df.drop(columns=["species"])
    mlflow.sklearn.log_model(LogisticRegression(max_iter=200).fit(features, df["species"]), "model")
mv = mlflow.register_model(f"runs:/{run.info.run_id}/model", "iris-py")
print(run.info.run_id, mv.version)
`;

describe.runIf(haveClient)("the MLflow Python client's register_model records lineage", () => {
  let studio: TestStudio;
  let server: Server;
  let dir: string;
  let previousRoot: string | undefined;

  beforeAll(async () => {
    studio = await createTestStudio("pglite");
    dir = await mkdtemp(path.join(os.tmpdir(), "studio-mlflow-py-"));
    previousRoot = process.env.STUDIO_DATASET_ROOT;
    process.env.STUDIO_DATASET_ROOT = dir;
    const csv = await readFile(path.join(import.meta.dirname, "../../fixtures/datasets/iris.train.csv"));
    await registerDatasetVersion(studio, dir, { name: "iris", format: "csv", masking: {}, filename: "iris.train.csv" }, Readable.from([csv]));
    await writeFile(path.join(dir, "iris.train.csv"), csv);
    // The studio's MLflow REST API and artifact proxy over real HTTP, as the Python client needs.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const body = chunks.length && req.method !== "GET" && req.method !== "HEAD" ? Buffer.concat(chunks) : undefined;
        const request = new Request(url, { method: req.method, headers: req.headers as Record<string, string>, body });
        const segments = url.pathname.split("/").filter(Boolean);
        const answer =
          segments[2] === "mlflow-artifacts"
            ? handleArtifactProxy(request, segments.slice(4), async () => studio)
            : handleMlflowApi(request, segments.slice(3), async () => studio);
        void answer.then(async (response) => {
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await waitForDatasetJobs();
    await studio?.close();
    await rm(dir, { recursive: true, force: true });
    if (previousRoot === undefined) delete process.env.STUDIO_DATASET_ROOT;
    else process.env.STUDIO_DATASET_ROOT = previousRoot;
  });

  it("gives the version the run's metrics and the iris dataset, and the dataset page the version", { timeout: 120_000 }, async () => {
    const { port } = server.address() as AddressInfo;
    await writeFile(path.join(dir, "train.py"), script);
    const { stdout } = await promisify(execFile)("bash", ["-c", `source ${JSON.stringify(envScript)} && /usr/bin/python3 train.py ${JSON.stringify(path.join(dir, "iris.train.csv"))}`], {
      cwd: dir,
      env: { ...process.env, MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}`, GIT_PYTHON_REFRESH: "quiet" },
      timeout: 110_000,
    });
    const [runId, version] = stdout.trim().split(/\s+/).slice(-2);
    const lineage = zModelLineage.parse((await getModelVersionDetail(studio, "iris-py", version!)).lineage);
    expect(lineage).toMatchObject({ runId, runName: "py-train", artifactPath: "model", metrics: { accuracy: 0.97 } });
    expect(lineage.datasets).toEqual([expect.objectContaining({ name: "iris", context: "training", registry: expect.objectContaining({ datasetName: "iris", version: 1, matchedBy: "content digest" }) })]);
    expect((await getDatasetLineage(studio, "iris")).modelVersions).toContainEqual({ name: "iris-py", version, runId });
  });
});
