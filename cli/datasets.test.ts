// Tests of `datasets list` and `datasets upload` against a fake studio speaking the dataset REST contract.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudioClient, StudioApiError, type FetchFunction } from "@/lib/studio-client";
import type { DatasetSummary, DatasetVersionDetail, PiiFindingOutput } from "@/server/datasets/schema";
import { runCli, type CliIo } from "./commands";
import { handleDatasetUpload } from "@/server/datasets/http";
import { createTestStudio } from "@/server/testing/test-database";

const BASE_URL = "http://studio.fake";
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "studio-cli-datasets-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface SeenUpload {
  method: string;
  url: URL;
  authorization: string | null;
  meta: Record<string, unknown>;
  bodyWasStream: boolean;
  duplex: unknown;
  chunks: number;
  bytes: Buffer;
}

function versionDetail(fields: Partial<DatasetVersionDetail>): DatasetVersionDetail {
  return {
    version: 1,
    digest: "",
    format: "csv",
    sizeBytes: 0,
    rowCount: null,
    columnCount: 0,
    originalFilename: "",
    note: "",
    profileStatus: "pending",
    profileProgress: 0,
    profileStage: "",
    qualityStatus: "pending",
    qualityReason: null,
    maskedColumns: 0,
    createdBy: "alice",
    createdAt: 0,
    datasetName: "",
    columns: [],
    maskingPolicy: {},
    piiFindings: [],
    profile: null,
    profileError: null,
    qualityResults: null,
    ...fields,
  };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** A studio in a few lines: versions keyed by the SHA-256 of the bytes it receives, PII findings chosen by the test. */
function fakeStudio(options: { piiFindings?: PiiFindingOutput[]; datasets?: DatasetSummary[]; versionAnswers?: Partial<DatasetVersionDetail>[] } = {}) {
  const uploads: SeenUpload[] = [];
  const gets: URL[] = [];
  const versions = new Map<string, DatasetVersionDetail[]>();
  const versionAnswers = [...(options.versionAnswers ?? [])];
  const fetch: FetchFunction = async (input, init) => {
    const url = new URL(String(input));
    if (url.pathname === "/api/datasets/upload") {
      const request = new Request(input, init);
      const reader = request.body!.getReader();
      const parts: Uint8Array[] = [];
      for (let read = await reader.read(); !read.done; read = await reader.read()) parts.push(read.value);
      const bytes = Buffer.concat(parts);
      const meta = JSON.parse(url.searchParams.get("meta")!) as Record<string, unknown> & { name: string; masking: DatasetVersionDetail["maskingPolicy"] };
      uploads.push({
        method: request.method,
        url,
        authorization: request.headers.get("authorization"),
        meta,
        bodyWasStream: init?.body instanceof ReadableStream,
        duplex: (init as { duplex?: unknown } | undefined)?.duplex,
        chunks: parts.length,
        bytes,
      });
      if (meta.name === "broken") return json(400, { error_code: "INVALID_PARAMETER_VALUE", message: "Line 3 has 4 fields but the header has 3; fix the row and upload again." });
      const digest = createHash("sha256").update(bytes).digest("hex");
      const existing = versions.get(meta.name) ?? [];
      const same = existing.find((v) => v.digest === digest);
      if (same) return json(200, { created: false, datasetCreated: false, version: same });
      const lines = bytes.toString("utf8").trim().split("\n");
      const version = versionDetail({
        version: existing.length + 1,
        digest,
        datasetName: meta.name,
        rowCount: lines.length - 1,
        columns: lines[0].split(","),
        columnCount: lines[0].split(",").length,
        maskingPolicy: meta.masking,
        piiFindings: options.piiFindings ?? [],
      });
      versions.set(meta.name, [...existing, version]);
      return json(201, { created: true, datasetCreated: existing.length === 0, version });
    }
    gets.push(url);
    if (url.pathname === "/api/datasets") {
      const q = url.searchParams.get("q") ?? "";
      return json(200, { datasets: (options.datasets ?? []).filter((d) => d.name.includes(q)) });
    }
    const versionPath = /^\/api\/datasets\/([^/]+)\/versions\/(\d+)$/.exec(url.pathname);
    if (versionPath) {
      const stored = versions.get(decodeURIComponent(versionPath[1]))?.[Number(versionPath[2]) - 1];
      if (!stored) return json(404, { error_code: "RESOURCE_DOES_NOT_EXIST", message: "No such version." });
      return json(200, { ...stored, ...(versionAnswers.shift() ?? {}) });
    }
    return new Response("<html>Not found</html>", { status: 404 });
  };
  return { fetch, uploads, gets };
}

async function cli(argv: string[], fetch: FetchFunction, io: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, "--url", BASE_URL], {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    env: {},
    fetch,
    ...io,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function customersCsv(rows: number, name = "customers.csv"): Promise<string> {
  const lines = ["id,email,age,churned"];
  for (let i = 0; i < rows; i++) lines.push(`${i},user${i}@example.com,${20 + (i % 50)},${i % 3 === 0}`);
  const file = path.join(dir, name);
  await writeFile(file, `${lines.join("\n")}\n`);
  return file;
}

describe("datasets upload", () => {
  it("streams the file's bytes with the meta JSON, then says whether the version is new", async () => {
    const file = await customersCsv(20_000);
    const studio = fakeStudio();
    const first = await cli(
      ["datasets", "upload", file, "--name", "customers", "--mask", "email=hash", "--band", "age=10", "--label", "churned", "--sensitive", "age", "--note", "March export", "--token", "tok-1"],
      studio.fetch,
    );
    expect(first.err).toMatch(/^Uploading customers\.csv \([\d,]+ bytes\) to dataset 'customers'…$/);
    expect(first.code).toBe(0);

    const fileBytes = await readFile(file);
    expect(studio.uploads).toHaveLength(1);
    const [upload] = studio.uploads;
    expect(upload).toMatchObject({ method: "POST", authorization: "Bearer tok-1", bodyWasStream: true, duplex: "half" });
    expect(upload.url.href.startsWith(`${BASE_URL}/api/datasets/upload?meta=`)).toBe(true);
    expect(upload.meta).toEqual({
      name: "customers",
      format: "csv",
      filename: "customers.csv",
      masking: { email: { action: "hash" }, age: { action: "generalise", bandWidth: 10 } },
      labelColumn: "churned",
      sensitiveAttributes: ["age"],
      note: "March export",
    });
    expect(upload.bytes.equals(fileBytes)).toBe(true);
    // More than one chunk: the file went out as a stream, not as one buffer read up front.
    expect(fileBytes.length).toBeGreaterThan(128 * 1024);
    expect(upload.chunks).toBeGreaterThan(1);

    const digest = createHash("sha256").update(fileBytes).digest("hex");
    expect(first.out).toBe(`Registered customers v1 (sha256 ${digest.slice(0, 12)}…, 20,000 rows), a new dataset.`);

    const again = await cli(["datasets", "upload", file, "--name", "customers", "--mask", "email=hash"], studio.fetch);
    expect(again).toMatchObject({ code: 0, out: "Already registered as customers v1 (same bytes)" });

    const changed = await customersCsv(1000, "customers-april.csv");
    const second = await cli(["datasets", "upload", changed, "--name", "customers", "--mask", "email=hash"], studio.fetch);
    expect(second.out).toMatch(/^Registered customers v2 \(sha256 [0-9a-f]{12}…, 1,000 rows\)\.$/);
  });

  it("notes PII stored as it is because 'keep' was decided, naming the option that masks it next time", async () => {
    const file = await customersCsv(10, "people.csv");
    const studio = fakeStudio({
      piiFindings: [
        { column: "email", kind: "email", matched: 10, checked: 10, share: 1 },
        { column: "first name", kind: "name", matched: 10, checked: 10, share: 1 },
        { column: "iban", kind: "iban", matched: 9, checked: 10, share: 0.9 },
      ],
    });
    const result = await cli(["datasets", "upload", file, "--name", "people", "--mask", "email=hash", "--mask", "first name=keep", "--mask", "iban=keep"], studio.fetch);
    expect(result.code).toBe(0);
    expect(result.err.split("\n").slice(1)).toEqual([
      "note: column 'first name' looks like personal names (100%) and is stored as it is (keep); mask it in the next version with --mask 'first name=hash'",
      "note: column 'iban' looks like IBANs (90%) and is stored as it is (keep); mask it in the next version with --mask iban=hash",
    ]);
  });

  it("prints the studio's refusal of undecided personal data as columns, findings and choices, with the command to send again", async () => {
    const studio = await createTestStudio();
    const root = await mkdtemp(path.join(os.tmpdir(), "studio-cli-422-"));
    try {
      // The real upload handler on a real (PGlite) database, reached through the CLI's fetch.
      const fetch: FetchFunction = (input, init) => handleDatasetUpload(new Request(input, init), { context: async () => studio, root });
      const file = path.resolve("fixtures/datasets/customers-with-pii.csv");
      const result = await cli(["datasets", "upload", file, "--name", "customers", "--mask", "email=hash", "--mask", "card_number=drop"], fetch);
      expect(result.code).toBe(1);
      const lines = result.err.split("\n").slice(1);
      expect(lines[0]).toBe("error: the studio refused the upload: 5 columns look like personal data and need a decision. Nothing was stored.");
      expect(lines[1]).toMatch(/^ {2}COLUMN\s+DETECTED\s+CHOOSE ONE$/);
      expect(lines.find((l) => l.trimStart().startsWith("last_login_ip"))).toMatch(
        /last_login_ip\s+IP addresses \(100% of 1,000 values\)\s+keep \| drop \| hash \| redact \| generalise \(→ the address's network/,
      );
      expect(lines.find((l) => l.trimStart().startsWith("full_name"))).toMatch(/full_name\s+personal names \(column header\)\s+keep \| drop \| hash \| redact$/);
      expect(lines.at(-1)).toBe(
        `  npm run studio -- datasets upload ${file} --name customers --mask email=hash --mask card_number=drop --mask full_name=hash --mask phone=hash --mask iban=hash --mask nir=hash --mask last_login_ip=hash`,
      );
      expect(result.out).toBe("");
    } finally {
      await studio.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  it("reports the studio's error with a non-zero exit code, and a missing file before any request", async () => {
    const file = await customersCsv(3, "broken.csv");
    const studio = fakeStudio();
    const refused = await cli(["datasets", "upload", file, "--name", "broken"], studio.fetch);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`answered 400 INVALID_PARAMETER_VALUE: Line 3 has 4 fields but the header has 3; fix the row and upload again.`);

    const missing = await cli(["datasets", "upload", path.join(dir, "nope.csv"), "--name", "x"], studio.fetch);
    expect(missing).toMatchObject({ code: 2, err: expect.stringContaining("no such file") });
    await mkdir(path.join(dir, "folder.csv"));
    const folder = await cli(["datasets", "upload", path.join(dir, "folder.csv"), "--name", "x"], studio.fetch);
    expect(folder).toMatchObject({ code: 2, err: expect.stringContaining("folder.csv' is not a file") });
    const badOption = await cli(["datasets", "upload", file, "--name", "x", "--mask", "email=scramble"], studio.fetch);
    expect(badOption).toMatchObject({ code: 2, err: expect.stringContaining("npm run studio -- datasets upload --help") });
    expect(studio.uploads).toHaveLength(1);
  });

  it("--wait polls until profiled and prints the quality verdict; failed quality exits 1", async () => {
    const file = await customersCsv(50, "scores.csv");
    const studio = fakeStudio({
      versionAnswers: [
        { profileStatus: "running", profileStage: "reading", profileProgress: 0.25 },
        { profileStatus: "running", profileStage: "reading", profileProgress: 0.25 },
        { profileStatus: "running", profileStage: "histograms", profileProgress: 0.8 },
        { profileStatus: "done", qualityStatus: "pending" },
        { profileStatus: "done", qualityStatus: "failed", qualityReason: "age: 3 values outside [0, 120]" },
      ],
    });
    const sleeps: number[] = [];
    const failed = await cli(["datasets", "upload", file, "--name", "scores", "--wait"], studio.fetch, { sleep: async (ms) => void sleeps.push(ms) });
    expect(sleeps).toHaveLength(4);
    expect(studio.gets.map((u) => u.pathname)).toEqual(Array(5).fill("/api/datasets/scores/versions/1"));
    expect(failed.err.split("\n").slice(1)).toEqual(["profiling: reading 25%", "profiling: histograms 80%", "checking quality rules"]);
    expect(failed.out.split("\n").slice(1)).toEqual(["Profiled scores v1: 50 rows, 4 columns.", "Quality: failed: age: 3 values outside [0, 120]"]);
    expect(failed.code).toBe(1);

    const passing = fakeStudio({ versionAnswers: [{ profileStatus: "done", qualityStatus: "passed" }] });
    const passed = await cli(["datasets", "upload", file, "--name", "scores", "--wait"], passing.fetch, { sleep: async () => undefined });
    expect(passed).toMatchObject({ code: 0, out: expect.stringMatching(/Quality: passed\.$/) });

    const crashing = fakeStudio({ versionAnswers: [{ profileStatus: "failed", profileError: "Invalid UTF-8 on line 12" }] });
    const crashed = await cli(["datasets", "upload", file, "--name", "scores", "--wait"], crashing.fetch, { sleep: async () => undefined });
    expect(crashed.code).toBe(1);
    expect(crashed.err).toContain("error: profiling scores v1 failed: Invalid UTF-8 on line 12");
  });
});

describe("datasets list", () => {
  const summary = (name: string, fields: Omit<Partial<DatasetSummary>, "latest"> & { latest: Partial<DatasetVersionDetail> | null }): DatasetSummary => ({
    name,
    description: "",
    owner: "alice",
    versionCount: 1,
    updatedAt: Date.UTC(2026, 2, 4, 9, 30),
    ...fields,
    latest: fields.latest && versionDetail(fields.latest),
  });

  it("prints a table of the datasets, filtered by --search", async () => {
    const studio = fakeStudio({
      datasets: [
        summary("customers", { versionCount: 3, latest: { version: 3, rowCount: 1_000_000, profileStatus: "done", qualityStatus: "failed" } }),
        summary("iris", { latest: { version: 1, rowCount: 150, profileStatus: "done", qualityStatus: "none" }, updatedAt: Date.UTC(2026, 0, 1) }),
        summary("transactions", { latest: { version: 1, profileStatus: "running" } }),
        summary("empty", { versionCount: 0, latest: null }),
      ],
    });
    const listed = await cli(["datasets", "list"], studio.fetch);
    expect(listed.code).toBe(0);
    expect(listed.out.split("\n")).toEqual([
      "NAME          VERSIONS  LATEST       ROWS  QUALITY    UPDATED (UTC)",
      "------------  --------  ------  ---------  ---------  ----------------",
      "customers            3  v3      1,000,000  failed     2026-03-04 09:30",
      "iris                 1  v1            150  no rules   2026-01-01 00:00",
      "transactions         1  v1                 profiling  2026-03-04 09:30",
      "empty                0                                2026-03-04 09:30",
    ]);
    const searched = await cli(["datasets", "list", "--search", "cust"], studio.fetch);
    expect(studio.gets.at(-1)!.searchParams.get("q")).toBe("cust");
    expect(searched.out.split("\n")).toHaveLength(3);
    expect((await cli(["datasets", "list", "--search", "zzz"], studio.fetch)).out).toBe("No datasets match 'zzz'.");
    expect((await cli(["datasets", "list"], fakeStudio().fetch)).out).toContain("No datasets yet. Register one with: npm run studio -- datasets upload");
  });
});

describe("studio client dataset reads", () => {
  it("asks for a version's profile, with the name encoded, and surfaces the 409 of a version still being profiled", async () => {
    const seen: string[] = [];
    const fetch: FetchFunction = async (input) => {
      const url = new URL(String(input));
      seen.push(url.pathname);
      if (url.pathname.endsWith("/versions/2/profile")) return json(409, { error_code: "RESOURCE_CONFLICT", message: "Version 2 is still being profiled (40%)." });
      return json(200, { dataset: "sales.eu", version: 1, digest: "abc", profile: { rowCount: 3, columns: [] } });
    };
    const client = createStudioClient({ baseUrl: `${BASE_URL}/`, fetch });
    await expect(client.getDatasetProfile("sales.eu", 1)).resolves.toMatchObject({ dataset: "sales.eu", version: 1 });
    const pending = await client.getDatasetProfile("sales.eu", 2).catch((error: unknown) => error);
    expect(pending).toBeInstanceOf(StudioApiError);
    expect(pending).toMatchObject({ status: 409, errorCode: "RESOURCE_CONFLICT", message: "Version 2 is still being profiled (40%)." });
    await client.getDatasetVersion("a b", 3).catch(() => undefined);
    expect(seen).toEqual(["/api/datasets/sales.eu/versions/1/profile", "/api/datasets/sales.eu/versions/2/profile", "/api/datasets/a%20b/versions/3"]);
  });
});

describe("the CLI's own transport (no io.fetch)", () => {
  it("streams the upload through node:http with the token, and reports an early refusal rather than a broken pipe", async () => {
    const received: { authorization?: string; meta: string | null; digest: string; bytes: number }[] = [];
    const server = http.createServer((req, res) => {
      const url = new URL(req.url!, "http://x");
      const meta = url.searchParams.get("meta");
      if (meta?.includes('"name":"too-big"')) {
        // Answer before reading the body, as a studio refusing an oversized upload does.
        res.writeHead(413, { "content-type": "application/json", connection: "close" });
        res.end(JSON.stringify({ error_code: "INVALID_PARAMETER_VALUE", message: "The file is larger than this studio accepts (2 GB)." }));
        return;
      }
      const hash = createHash("sha256");
      let bytes = 0;
      req.on("data", (chunk: Buffer) => {
        hash.update(chunk);
        bytes += chunk.length;
      });
      req.on("end", () => {
        const digest = hash.digest("hex");
        received.push({ authorization: req.headers.authorization, meta, digest, bytes });
        res.writeHead(201, { "content-type": "application/json" });
        res.end(JSON.stringify({ created: true, datasetCreated: false, version: versionDetail({ version: 4, digest, rowCount: 7 }) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const file = await customersCsv(30_000, "over-http.csv");
      const out: string[] = [];
      const err: string[] = [];
      const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l), env: { STUDIO_TOKEN: "tok-2" } };
      const code = await runCli(["datasets", "upload", file, "--name", "customers", "--url", url], io);
      const fileBytes = await readFile(file);
      const digest = createHash("sha256").update(fileBytes).digest("hex");
      expect(code).toBe(0);
      expect(received).toEqual([{ authorization: "Bearer tok-2", meta: expect.stringContaining('"name":"customers"'), digest, bytes: fileBytes.length }]);
      expect(out).toEqual([`Registered customers v4 (sha256 ${digest.slice(0, 12)}…, 7 rows).`]);

      err.length = 0;
      const refused = await runCli(["datasets", "upload", file, "--name", "too-big", "--url", url], io);
      expect(refused).toBe(1);
      expect(err.join("\n")).toContain("answered 413 INVALID_PARAMETER_VALUE: The file is larger than this studio accepts (2 GB).");
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
