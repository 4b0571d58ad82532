// Privacy by default at upload: undecided personal data is refused (422 with data), "keep" is said out loud, a new version inherits the policy, limits, concurrency, no-store, temp sweep.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { absoluteVersionPath } from "./dataset-store";
import { handleDatasetUpload, handleVersionDownload } from "./http";
import { waitForDatasetJobs } from "./profile-jobs";
import { registerDatasetVersion } from "./register-version";
import { findVersion, getDataset, listDatasets } from "./registry";
import type { RegisterVersionMeta } from "./schema";
import { sweepStaleTempFiles } from "./temp-sweep";

const fixtures = path.join(import.meta.dirname, "../../fixtures/datasets");
const customersCsv = () => readFile(path.join(fixtures, "customers-with-pii.csv"));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe.each(testBackends)("privacy by default on %s", (backend) => {
  let studio: TestStudio;
  let root: string;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-privacy-"));
  });
  afterAll(async () => {
    await waitForDatasetJobs();
    await studio.close();
    await rm(root, { recursive: true, force: true });
  });

  const http = () => ({ context: async () => studio as TestStudio, root });

  async function upload(meta: Partial<RegisterVersionMeta> & { name: string }, body: Buffer): Promise<Response> {
    const request = new Request(`http://studio.test/api/datasets/upload?meta=${encodeURIComponent(JSON.stringify({ format: "csv", ...meta }))}`, {
      method: "POST",
      body: new Uint8Array(body),
    });
    return handleDatasetUpload(request, http());
  }

  async function storedText(name: string, version: number): Promise<string> {
    const { row } = await findVersion(studio.db, name, version);
    return readFile(absoluteVersionPath(root, row.storagePath), "utf8");
  }

  it("refuses an API upload whose personal-data columns have no decision: 422 naming each column, what was found and the choices; nothing stored", async () => {
    const response = await upload({ name: "customers-raw", masking: { email: { action: "hash" } } }, await customersCsv());
    expect(response.status).toBe(422);
    const body = (await response.json()) as {
      error_code: string;
      message: string;
      reason: string;
      columns: { column: string; detected: { kind: string; share: number }[]; choices: string[]; problem: string }[];
    };
    expect(body.error_code).toBe("UNPROCESSABLE_CONTENT");
    expect(body.reason).toBe("pii_decision_required");
    const byColumn = Object.fromEntries(body.columns.map((c) => [c.column, c]));
    // e-mail was decided; every other flagged column is listed, with what the scan saw in it.
    expect(Object.keys(byColumn).sort()).toEqual(["card_number", "full_name", "iban", "last_login_ip", "nir", "phone"]);
    expect(byColumn.card_number.detected[0]).toMatchObject({ kind: "card", share: 1 });
    expect(byColumn.card_number.choices).toEqual(["keep", "drop", "hash", "redact"]);
    expect(byColumn.last_login_ip.choices).toEqual(["keep", "drop", "hash", "redact", "generalise"]);
    expect(body.message).toMatch(/'card_number' \(card\) has no decision/);
    expect(body.message).toMatch(/"keep" .* must be said explicitly/);
    expect(await listDatasets(studio, { search: "customers-raw" })).toEqual([]);
    expect(await filesUnder(root)).toEqual([]);
  });

  it("refuses 'generalise' for data with no coarser form (card numbers) and says which columns may be generalised", async () => {
    const masking = {
      full_name: { action: "drop" },
      email: { action: "generalise" },
      phone: { action: "generalise" },
      iban: { action: "drop" },
      card_number: { action: "generalise" },
      nir: { action: "drop" },
      last_login_ip: { action: "generalise" },
    } as const;
    const response = await upload({ name: "customers-generalised", masking }, await customersCsv());
    expect(response.status).toBe(422);
    const body = (await response.json()) as { message: string; columns: { column: string; problem: string }[] };
    expect(body.columns).toEqual([expect.objectContaining({ column: "card_number", problem: "generalise-not-offered" })]);
    expect(body.message).toMatch(/'card_number' \(card\) cannot be generalised/);

    const accepted = await upload({ name: "customers-generalised", masking: { ...masking, card_number: { action: "drop" } } }, await customersCsv());
    expect(accepted.status).toBe(201);
    const [header, first] = (await storedText("customers-generalised", 1)).split("\n");
    const row = Object.fromEntries(header!.split(",").map((column, i) => [column, first!.split(",")[i]]));
    // louis.bernard0@example.com, +33 6 79 49 59 60, 210.123.250.90 in the fixture's first row.
    expect(row).toMatchObject({ email: "example.com", phone: "+33", last_login_ip: "210.123.250.0/24", city: "Paris" });
  });

  it("stores a column kept as it is only when 'keep' is said, and records the decision on the version", async () => {
    const keepAll = {
      full_name: { action: "keep" },
      email: { action: "keep" },
      phone: { action: "keep" },
      iban: { action: "keep" },
      card_number: { action: "keep" },
      nir: { action: "keep" },
      last_login_ip: { action: "keep" },
    } as const;
    const response = await upload({ name: "customers-kept", masking: keepAll }, await customersCsv());
    expect(response.status).toBe(201);
    const { version } = (await response.json()) as { version: { maskingPolicy: Record<string, { action: string }>; piiFindings: { column: string }[] } };
    expect(version.maskingPolicy.email).toEqual({ action: "keep" });
    expect(version.maskingPolicy.card_number).toEqual({ action: "keep" });
    expect(version.piiFindings.map((f) => f.column)).toContain("email");
    expect(await storedText("customers-kept", 1)).toContain("louis.bernard0@example.com");
  });

  it("starts a new version from the previous version's policy; a decision given now overrides it for that column", async () => {
    const v1 = "id,email,age\n1,ana@example.com,34\n2,bob@example.org,51\n";
    const first = await registerDatasetVersion(studio, root, { name: "signups", format: "csv", masking: { email: { action: "hash" }, age: { action: "generalise" } } }, Readable.from([Buffer.from(v1)]));
    const v2 = "id,email,age,signup_ip\n3,cid@example.net,29,203.0.113.57\n";
    // The new column holds IP addresses: it needs its own decision, but e-mail and age need none.
    const refused = await upload({ name: "signups", masking: {} }, Buffer.from(v2));
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { columns: { column: string }[] }).columns.map((c) => c.column)).toEqual(["signup_ip"]);

    const second = await registerDatasetVersion(studio, root, { name: "signups", format: "csv", masking: { signup_ip: { action: "generalise" } } }, Readable.from([Buffer.from(v2)]));
    expect(second.version.version).toBe(2);
    expect(second.version.maskingPolicy).toEqual({ email: { action: "hash" }, age: { action: "generalise" }, signup_ip: { action: "generalise" } });
    const stored = await storedText("signups", 2);
    expect(stored).not.toContain("cid@example.net");
    expect(stored).toContain("20-30");
    expect(stored).toContain("203.0.113.0/24");
    // The same e-mail hashes the same in every version: the dataset's salt is kept.
    expect(first.version.maskingPolicy.email).toEqual({ action: "hash" });

    const third = await registerDatasetVersion(studio, root, { name: "signups", format: "csv", masking: { age: { action: "keep" } } }, Readable.from([Buffer.from("id,email,age\n4,dan@example.com,41\n")]));
    expect(third.version.maskingPolicy).toEqual({ email: { action: "hash" }, age: { action: "keep" } });
    expect(await storedText("signups", 3)).toContain(",41");
  });

  it.each([
    ["columns", () => Buffer.from(`${Array.from({ length: 2001 }, (_, i) => `c${i}`).join(",")}\n${Array.from({ length: 2001 }, () => "1").join(",")}\n`), /2,001 columns; the limit is 2,000 columns/],
    ["cell_size", () => Buffer.from(`id,text\n1,short\n2,${"x".repeat(65_537)}\n`), /Data row 2, column 'text' holds 65,537 characters; the limit is 65,536 characters per cell/],
    ["nul_byte", () => Buffer.from("id,text\n1,a\u0000b\n"), /NUL byte/],
  ])("refuses a file past the %s limit with a 422 that names the limit, and stores nothing", async (limit, body, message) => {
    const response = await upload({ name: `limits-${limit.replace("_", "-")}`, masking: {} }, body());
    expect(response.status).toBe(422);
    const answer = (await response.json()) as { error_code: string; message: string; limit: string };
    expect(answer).toMatchObject({ error_code: "UNPROCESSABLE_CONTENT", limit });
    expect(answer.message).toMatch(message);
    expect(await listDatasets(studio, { search: "limits-" })).toEqual([]);
    expect(await filesUnder(path.join(root, ".tmp"))).toEqual([]);
  });

  it("lets concurrent first uploads of one dataset name all succeed, as versions of one dataset", async () => {
    const bodies = Array.from({ length: 6 }, (_, i) => Buffer.from(`id,score\n${i},${i * 10}\n${i + 100},${i}\n`));
    const answers = await Promise.all(bodies.map((body) => upload({ name: "raced", masking: {} }, body)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const created = await Promise.all(answers.map(async (a) => (await a.json()) as { datasetCreated: boolean; version: { version: number } }));
    expect(created.filter((c) => c.datasetCreated)).toHaveLength(1);
    expect(created.map((c) => c.version.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await getDataset(studio, "raced")).versions).toHaveLength(6);
    // The same bytes sent concurrently are one version.
    const same = await Promise.all([0, 1, 2].map(() => upload({ name: "raced-same", masking: {} }, bodies[0]!)));
    expect(same.map((a) => a.status).sort()).toEqual([200, 200, 201]);
  });

  it("sends downloads of dataset rows as no-store: personal data, even masked, is kept in no cache", async () => {
    const response = await handleVersionDownload(
      new Request("http://studio.test/api/datasets/customers-kept/versions/1/download"),
      Promise.resolve({ name: "customers-kept", version: "1" }),
      http(),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.text()).toContain("louis.bernard0@example.com");
  });
});

describe("stale temp files", () => {
  it("removes upload temp files and artifact *.partial files untouched for longer than the longest upload, and says how much", async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), "studio-sweep-"));
    try {
      const datasetRoot = path.join(base, "datasets");
      const artifactRoot = path.join(base, "artifacts");
      await mkdir(path.join(datasetRoot, ".tmp"), { recursive: true });
      await mkdir(path.join(artifactRoot, "1", "run", "artifacts"), { recursive: true });
      const staleUpload = path.join(datasetRoot, ".tmp", "0b6f0e4e-0000-4000-8000-000000000001.csv");
      const liveUpload = path.join(datasetRoot, ".tmp", "0b6f0e4e-0000-4000-8000-000000000002.csv");
      const stalePartial = path.join(artifactRoot, "1", "run", "artifacts", "model.onnx.9d7c1a2b-1111-4222-8333-444455556666.partial");
      const userFile = path.join(artifactRoot, "1", "run", "artifacts", "notes.partial");
      const version = path.join(datasetRoot, "1", `${"a".repeat(64)}.csv`);
      await mkdir(path.dirname(version), { recursive: true });
      await writeFile(staleUpload, Buffer.alloc(3000));
      await writeFile(liveUpload, Buffer.alloc(10));
      await writeFile(stalePartial, Buffer.alloc(2000));
      await writeFile(userFile, "kept");
      await writeFile(version, "id\n1\n");
      const longAgo = new Date(Date.now() - 7 * 3600_000);
      for (const file of [staleUpload, stalePartial, userFile, version]) await utimes(file, longAgo, longAgo);

      const swept = await sweepStaleTempFiles({ datasetRoot, artifactRoot }, { maxAgeMs: 6 * 3600_000 });
      expect(swept).toEqual({ files: 2, bytes: 5000 });
      await expect(stat(staleUpload)).rejects.toThrow();
      await expect(stat(stalePartial)).rejects.toThrow();
      // An upload still being written, a user's own file and a stored version stay.
      for (const file of [liveUpload, userFile, version]) await expect(stat(file)).resolves.toBeTruthy();
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});
