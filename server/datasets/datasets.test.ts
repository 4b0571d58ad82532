// The dataset registry end to end below HTTP: upload → mask → content-addressed version → profile → rules, lineage, compare.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { refusalOf, saidIn } from "../testing/said-error";
import { createExperiment } from "../tracking/experiments";
import { createRun, logInputs } from "../tracking/runs";
import { absoluteVersionPath } from "./dataset-store";
import { quoteLiteral, withDuckDB } from "./duckdb";
import { getDatasetLineage } from "./lineage";
import { resumeDatasetJobs, waitForDatasetJobs } from "./profile-jobs";
import { datasetVersions } from "@/db/schema";
import { eq } from "drizzle-orm";
import { registerDatasetVersion } from "./register-version";
import { addQualityRule, findVersionsByDigests, getDataset, getDatasetVersion, listDatasets, markVersionQuality } from "./registry";
import type { RegisterVersionMeta } from "./schema";
import { compareDatasetVersions, previewDatasetVersion, recheckVersionQuality } from "./version-files";

const fixtures = path.join(import.meta.dirname, "../../fixtures/datasets");
const viewer: Actor = { userId: "u-viewer", username: "vera", role: "viewer", via: "session" };

/** A decision for every column of customers-with-pii.csv that holds personal data (uploads without one are refused). */
const customersPolicy = {
  full_name: { action: "hash" },
  email: { action: "hash" },
  phone: { action: "redact" },
  iban: { action: "redact" },
  card_number: { action: "drop" },
  nir: { action: "drop" },
  last_login_ip: { action: "generalise" },
} as const;

function csvMeta(name: string, extra: Partial<RegisterVersionMeta> = {}): RegisterVersionMeta {
  return { name, format: "csv", masking: {}, ...extra };
}

/** A body that delivers `bytes`, then fails: what a dropped connection looks like to the server. */
function interruptedBody(bytes: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(bytes);
      } else {
        this.destroy(new Error("aborted"));
      }
    },
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe.each(testBackends)("dataset registry on %s", (backend) => {
  let studio: TestStudio;
  let root: string;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-datasets-"));
  });
  afterAll(async () => {
    await waitForDatasetJobs();
    await studio.close();
    await rm(root, { recursive: true, force: true });
  });

  it("refuses a label column the masking policy drops, saying so in the reader's language (the labelling export's page)", async () => {
    const csv = Buffer.from("id,species\n1,setosa\n2,virginica\n");
    const dropped = await refusalOf(registerDatasetVersion(studio, root, csvMeta("label-dropped", { labelColumn: "species", masking: { species: { action: "drop" } } }), Readable.from([csv])));
    const missing = await refusalOf(registerDatasetVersion(studio, root, csvMeta("label-missing", { labelColumn: "label" }), Readable.from([csv])));
    for (const refusal of [dropped, missing]) {
      expect(refusal.code).toBe("INVALID_PARAMETER_VALUE");
      expect(saidIn("en", refusal)).toBe(refusal.message);
    }
    expect(dropped.message).toBe("Column 'species' (label or sensitive attribute) is not in the stored file: it is dropped by the masking policy.");
    expect(saidIn("fr", dropped)).toBe("La colonne «\u00a0species\u00a0» (étiquette ou attribut sensible) n'est pas dans le fichier stocké\u00a0: la politique de masquage la supprime.");
    expect(saidIn("fr", missing)).toBe("La colonne «\u00a0label\u00a0» (étiquette ou attribut sensible) n'est pas dans le fichier stocké.");
  });

  it("refuses an empty or non-Parquet file sent as Parquet, saying so in French too", async () => {
    const parquetMeta = (name: string): RegisterVersionMeta => ({ name, format: "parquet", masking: {} });
    const emptyFile = await refusalOf(registerDatasetVersion(studio, root, parquetMeta("parquet-empty"), Readable.from([Buffer.alloc(0)])));
    const notParquet = await refusalOf(registerDatasetVersion(studio, root, parquetMeta("parquet-not"), Readable.from([Buffer.from("a,b\n1,2\n")])));
    for (const refusal of [emptyFile, notParquet]) {
      expect(refusal.code).toBe("INVALID_PARAMETER_VALUE");
      expect(saidIn("en", refusal)).toBe(refusal.message);
    }
    expect(saidIn("fr", emptyFile)).toBe("Le fichier est vide\u00a0: choisissez un fichier Parquet d’au moins une ligne.");
    expect(saidIn("fr", notParquet)).toBe("Le fichier n’est pas au format Parquet (il ne commence pas par «\u00a0PAR1\u00a0»)\u00a0: choisissez un fichier .parquet ou envoyez-le en CSV.");
  });

  it("stores the same bytes once: a second upload answers with the existing version", async () => {
    const bytes = await readFile(path.join(fixtures, "iris.train.csv"));
    const first = await registerDatasetVersion(studio, root, csvMeta("iris", { labelColumn: "species" }), Readable.from([bytes]));
    const second = await registerDatasetVersion(studio, root, csvMeta("iris"), Readable.from([bytes.subarray(0, 100), bytes.subarray(100)]));
    expect(first.created).toBe(true);
    expect(first.datasetCreated).toBe(true);
    expect(second.created).toBe(false);
    expect(second.version.version).toBe(1);
    expect(second.version.digest).toBe(first.version.digest);
    expect(first.version.digest).toMatch(/^[0-9a-f]{64}$/);
    const detail = await getDataset(studio, "iris");
    expect(detail.versions).toHaveLength(1);
    expect(detail.labelColumn).toBe("species");
    expect((await filesUnder(root)).filter((f) => !f.includes(".tmp"))).toHaveLength(1);
  });

  it("masks personal data before storing: hashed e-mails, dropped cards, and the policy kept with the version", async () => {
    const result = await registerDatasetVersion(
      studio,
      root,
      csvMeta("customers", { masking: customersPolicy }),
      Readable.from([await readFile(path.join(fixtures, "customers-with-pii.csv"))]),
    );
    const stored = await readFile(absoluteVersionPath(root, await storagePathOf("customers", 1)), "utf8");
    expect(stored).not.toMatch(/@example\.com/);
    expect(stored.split("\n")[0]).not.toContain("card_number");
    expect(stored).not.toMatch(/FR\d{25}/);
    expect(result.version.maskingPolicy.email).toEqual({ action: "hash" });
    expect(result.version.columns).not.toContain("card_number");
    const kinds = Object.fromEntries(result.version.piiFindings.map((f) => [f.column, f.kind]));
    expect(kinds).toMatchObject({ email: "email", card_number: "card", iban: "iban", nir: "nir", last_login_ip: "ip", full_name: "name" });
  });

  it("registers Parquet: scanned for PII and masked by DuckDB, the raw upload deleted", async () => {
    const parquet = path.join(root, "..", `customers-${backend}-${Date.now()}.parquet`);
    await withDuckDB(async (connection) => {
      await connection.run(
        `COPY (SELECT * FROM read_csv(${quoteLiteral(path.join(fixtures, "customers-with-pii.csv"))}, header = true)) TO ${quoteLiteral(parquet)} (FORMAT parquet)`,
      );
    });
    try {
      const result = await registerDatasetVersion(
        studio,
        root,
        { name: "customers-parquet", format: "parquet", masking: customersPolicy },
        Readable.from([await readFile(parquet)]),
      );
      expect(result.version.format).toBe("parquet");
      expect(result.version.rowCount).toBe(1000);
      expect(result.version.columns).not.toContain("card_number");
      expect(result.version.piiFindings.map((f) => f.column)).toEqual(expect.arrayContaining(["email", "iban", "nir"]));
      const preview = await previewDatasetVersion(studio, { name: "customers-parquet", version: 1, offset: 0, limit: 50 }, root);
      const email = preview.columns.indexOf("email");
      expect(preview.rows.every((row) => /^[0-9a-f]{64}$/.test(String(row[email])))).toBe(true);
      expect((await filesUnder(path.join(root, ".tmp"))).filter((f) => f.endsWith(".parquet"))).toEqual([]);
      await expect(
        registerDatasetVersion(studio, root, { name: "not-parquet", format: "parquet", masking: {} }, Readable.from([Buffer.from("a,b\n1,2\n")])),
      ).rejects.toThrow(/not Parquet/);
    } finally {
      await rm(parquet, { force: true });
    }
  });

  async function storagePathOf(name: string, version: number): Promise<string> {
    const { findVersion } = await import("./registry");
    return (await findVersion(studio.db, name, version)).row.storagePath;
  }

  it("leaves nothing behind when the upload breaks off midway", async () => {
    const bytes = await readFile(path.join(fixtures, "credit.csv"));
    await expect(registerDatasetVersion(studio, root, csvMeta("broken-upload"), interruptedBody(bytes.subarray(0, 20_000)))).rejects.toThrow();
    expect(await listDatasets(studio, { search: "broken-upload" })).toEqual([]);
    expect(await filesUnder(path.join(root, ".tmp"))).toEqual([]);
  });

  it.each([
    ["an empty file", Buffer.alloc(0), /empty/i],
    ["ragged rows", Buffer.from("a,b,c\n1,2,3\n4,5\n"), /field|column/i],
    ["Latin-1 text", Buffer.from([0x63, 0x69, 0x74, 0x79, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]), /UTF-8/],
  ])("refuses %s with a clear error and stores nothing", async (_what, bytes, message) => {
    await expect(registerDatasetVersion(studio, root, csvMeta("bad-input"), Readable.from([bytes]))).rejects.toThrow(message);
    expect(await listDatasets(studio, { search: "bad-input" })).toEqual([]);
    expect(await filesUnder(path.join(root, ".tmp"))).toEqual([]);
  });

  it("finishes profiling that a stopped server left half done", async () => {
    await waitForDatasetJobs();
    const { row } = await (await import("./registry")).findVersion(studio.db, "iris", 1);
    await studio.db.update(datasetVersions).set({ profileStatus: "running", profileProgress: 0.4, profile: null }).where(eq(datasetVersions.versionId, row.versionId));
    expect(await resumeDatasetJobs(studio.db, root)).toBeGreaterThanOrEqual(1);
    await waitForDatasetJobs();
    const version = await getDatasetVersion(studio, "iris", 1);
    expect(version.profileStatus).toBe("done");
    expect(version.profile!.rowCount).toBe(112);
  });

  it("refuses uploads from a viewer", async () => {
    await expect(registerDatasetVersion(studio.as(viewer), root, csvMeta("viewer-data"), Readable.from([Buffer.from("a\n1\n")]))).rejects.toThrow(/Permission denied/);
  });

  it("profiles a 1,000,000-row CSV in the background with exact counts", async () => {
    const lines = ["id,score,city"];
    let missingScore = 0;
    let sum = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const missing = i % 7 === 0;
      if (missing) missingScore++;
      else sum += i % 1000;
      lines.push(`${i},${missing ? "" : i % 1000},${["Paris", "Lyon", "Nice"][i % 3]}`);
    }
    const file = path.join(root, "..", `big-${backend}-${Date.now()}.csv`);
    await writeFile(file, lines.join("\n") + "\n");
    try {
      const { createReadStream } = await import("node:fs");
      const result = await registerDatasetVersion(studio, root, csvMeta("big"), createReadStream(file));
      expect(result.version.rowCount).toBe(1_000_000);
      await waitForDatasetJobs();
      const version = await getDatasetVersion(studio, "big", 1);
      expect(version.profileStatus).toBe("done");
      expect(version.profile!.rowCount).toBe(1_000_000);
      const score = version.profile!.columns.find((c) => c.name === "score")!;
      expect(score.missing).toBe(missingScore);
      expect(score.distinct).toBe(1000);
      expect(score.mean).toBeCloseTo(sum / (1_000_000 - missingScore), 6);
      expect(version.profile!.columns.find((c) => c.name === "id")!.distinct).toBe(1_000_000);
      expect(version.profile!.columns.find((c) => c.name === "city")!.topValues).toHaveLength(3);
      const preview = await previewDatasetVersion(studio, { name: "big", version: 1, offset: 10, limit: 3 }, root);
      expect(preview.totalRows).toBe(1_000_000);
      expect(preview.rows.map((r) => r[0])).toEqual(["10", "11", "12"]); // a CSV previews as the text written
    } finally {
      await rm(file, { force: true });
    }
  }, 120_000);

  it("evaluates quality rules on every new version and says why one fails", async () => {
    // "name" holds personal names: keeping it is said out loud once, and version 2 inherits the decision.
    await registerDatasetVersion(studio, root, csvMeta("scores", { masking: { name: { action: "keep" } } }), Readable.from([Buffer.from("name,age\nana,34\nbob,51\n")]));
    await addQualityRule(studio, "scores", { kind: "range", column: "age", min: 0, max: 120 });
    await addQualityRule(studio, "scores", { kind: "not_null", column: "name" });
    const rechecked = await recheckVersionQuality(studio, { name: "scores", version: 1 }, root);
    expect(rechecked.qualityStatus).toBe("passed");

    await registerDatasetVersion(studio, root, csvMeta("scores"), Readable.from([Buffer.from("name,age\nana,34\n,51\ncid,430\n")]));
    await waitForDatasetJobs();
    const bad = await getDatasetVersion(studio, "scores", 2);
    expect(bad.qualityStatus).toBe("failed");
    expect(bad.qualityResults!.filter((r) => !r.passed).map((r) => [r.kind, r.failingCount])).toEqual([
      ["range", 1],
      ["not_null", 1],
    ]);
    expect(bad.qualityReason).toMatch(/age/);
    expect(bad.qualityResults!.find((r) => r.kind === "range")!.sampleRows[0]).toMatchObject({ name: "cid" });

    const marked = await markVersionQuality(studio, { name: "scores", version: 1, failed: true, reason: "collected before consent" });
    expect(marked.qualityStatus).toBe("failed");
    expect(marked.qualityReason).toContain("collected before consent");
    await expect(markVersionQuality(studio, { name: "scores", version: 1, failed: true, reason: " " })).rejects.toThrow(/why/);
  });

  it("links runs that logged a version as input, by full or shortened digest", async () => {
    const iris = await getDatasetVersion(studio, "iris", 1);
    const { experiment_id } = await createExperiment(studio, { name: `lineage-${backend}` });
    const run = await createRun(studio, { experiment_id, run_name: "train-iris", start_time: 1000, tags: [] });
    await logInputs(studio, run.info.run_id, [
      {
        tags: [{ key: "mlflow.data.context", value: "training" }],
        dataset: { name: "iris", digest: iris.digest.slice(0, 8), source_type: "local", source: "{}" },
      },
    ]);
    const lineage = await getDatasetLineage(studio, "iris");
    expect(lineage.runs).toHaveLength(1);
    expect(lineage.runs[0]).toMatchObject({ runId: run.info.run_id, runName: "train-iris", context: "training", version: 1 });
    const refs = await findVersionsByDigests(studio.db, [iris.digest.slice(0, 8).toUpperCase(), "deadbeef"]);
    expect(refs.get(iris.digest.slice(0, 8))).toMatchObject({ datasetName: "iris", version: 1 });
    expect(refs.has("deadbeef")).toBe(false);
  });

  it("compares two versions: schema diff and the drifted columns", async () => {
    const train = await readFile(path.join(fixtures, "breast_cancer.test.csv"), "utf8");
    const drifted = await readFile(path.join(fixtures, "breast_cancer.production-drifted.csv"), "utf8");
    await registerDatasetVersion(studio, root, csvMeta("bc"), Readable.from([Buffer.from(train)]));
    await registerDatasetVersion(studio, root, csvMeta("bc", { masking: { mean_smoothness: { action: "drop" } } }), Readable.from([Buffer.from(drifted)]));
    const comparison = await compareDatasetVersions(studio, { name: "bc", reference: 1, current: 2 }, root);
    expect(comparison.schema.removed.map((c) => c.column)).toEqual(["mean_smoothness"]);
    const driftedColumns = comparison.columns.filter((c) => c.drifted).map((c) => c.column).sort();
    expect(driftedColumns).toEqual(["mean_radius", "mean_texture", "worst_concavity"]);
    expect(comparison.datasetDrift).toBe(false);
    expect(comparison.driftShareLimit).toBe(0.5);
  });

  it("does not drift-test columns that identify rows, and says which", async () => {
    const header = "customer_id,ticket,segment,spend";
    const rows = (offset: number, spendScale: number) =>
      Array.from({ length: 300 }, (_, i) => `${offset + i},T-${(offset + i) * 7919},${["a", "b", "c"][i % 3]},${((i % 50) * spendScale).toFixed(2)}`);
    await registerDatasetVersion(studio, root, csvMeta("customers-ids"), Readable.from([Buffer.from([header, ...rows(0, 1)].join("\n"))]));
    await registerDatasetVersion(studio, root, csvMeta("customers-ids"), Readable.from([Buffer.from([header, ...rows(100_000, 1)].join("\n"))]));
    const comparison = await compareDatasetVersions(studio, { name: "customers-ids", reference: 1, current: 2 }, root);
    expect(comparison.skippedColumns).toEqual([
      { column: "customer_id", reason: "identifier-name" },
      { column: "ticket", reason: "identifier-distinct" },
    ]);
    expect(comparison.columns.map((c) => c.column).sort()).toEqual(["segment", "spend"]);
    expect(comparison.driftedColumns).toBe(0);
  });
});
