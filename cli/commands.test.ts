// Tests of the CLI commands end to end against the real route handlers, through the in-process fetch.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudioClient, type FetchFunction } from "@/lib/studio-client";
import { createTestStudio, type TestStudio } from "@/server/testing/test-database";
import { runCli, formatTable, type CliIo } from "./commands";
import { IN_PROCESS_BASE_URL, inProcessFetch } from "./testing/in-process-fetch";

let studio: TestStudio;
let dir: string;
let fetchImpl: FetchFunction;

beforeAll(async () => {
  studio = await createTestStudio();
  fetchImpl = inProcessFetch(studio);
  dir = await mkdtemp(path.join(os.tmpdir(), "studio-cli-"));
});
afterAll(async () => {
  await studio.close();
  await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[], io: Partial<CliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, "--url", IN_PROCESS_BASE_URL], {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    env: {},
    fetch: fetchImpl,
    ...io,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("studio CLI", () => {
  it("creates and lists experiments", async () => {
    expect(await cli(["experiments", "create", "cli exp"])).toMatchObject({ code: 0, out: expect.stringMatching(/Created experiment 'cli exp' with id \d+\./) });
    const again = await cli(["experiments", "create", "cli exp"]);
    expect(again.code).toBe(1);
    expect(again.err).toContain("RESOURCE_ALREADY_EXISTS");
    const listed = await cli(["experiments", "list"]);
    expect(listed.code).toBe(0);
    expect(listed.out.split("\n")[0]).toMatch(/^ID\s+NAME\s+CREATED \(UTC\)$/);
    expect(listed.out).toContain("Default");
    expect(listed.out).toContain("cli exp");
  });

  it("logs a CSV of metrics in batches and lists the run", async () => {
    const rows = ["epoch,loss,acc,phase"];
    for (let epoch = 0; epoch < 1500; epoch++) rows.push(`${epoch},${(1 / (epoch + 1)).toFixed(6)},${(epoch / 1500).toFixed(4)},${epoch < 10 ? "warmup" : "train"}`);
    const file = path.join(dir, "training-log.csv");
    await writeFile(file, rows.join("\n"));
    const requests: string[] = [];
    const counting: FetchFunction = async (input, init) => {
      requests.push(new Request(input, init).url);
      return fetchImpl(input, init);
    };
    const logged = await cli(["log-csv", "csv logs", file, "--step-column", "epoch"], { fetch: counting, now: () => 1_700_000_000_000 });
    expect(logged.err).toBe("warning: column 'phase' is not logged: not numeric (line 2 has 'warmup')");
    expect(logged.code).toBe(0);
    expect(logged.out).toContain("Logged 3000 points of 2 metrics (loss, acc) from 1500 rows, steps from column 'epoch'.");
    expect(requests.filter((u) => u.endsWith("runs/log-batch"))).toHaveLength(3);

    const runId = /Run ([0-9a-f]{32})/.exec(logged.out)![1];
    const client = createStudioClient({ baseUrl: IN_PROCESS_BASE_URL, fetch: fetchImpl });
    const run = await client.getRun(runId);
    expect(run.info).toMatchObject({ run_name: "training-log", status: "FINISHED", start_time: 1_700_000_000_000 });
    expect(run.data.tags).toEqual(expect.arrayContaining([{ key: "mlflow.source.name", value: "training-log.csv" }]));
    const loss = await client.getMetricHistory(runId, "loss");
    expect(loss).toHaveLength(1500);
    expect(loss[1499]).toMatchObject({ step: 1499, value: 0.000667 });

    await cli(["log-csv", "csv logs", file, "--run-name", "second", "--step-column", "epoch"]);
    const table = await cli(["runs", "list", "csv logs", "--order-by", "metrics.acc DESC", "--filter", "metrics.loss < 0.01"]);
    expect(table.code).toBe(0);
    const lines = table.out.split("\n");
    expect(lines[0]).toMatch(/^RUN ID\s+NAME\s+STATUS\s+STARTED \(UTC\)\s+DURATION\s+acc\s+loss$/);
    expect(lines.slice(2, 4).map((l) => l.split(/\s{2,}/)[1]).sort()).toEqual(["second", "training-log"]);
    const first = lines.find((l) => l.includes("training-log"))!;
    expect(first).toContain("FINISHED");
    expect(first).toContain("2023-11-14 22:13");
    expect(first).toMatch(/0\.9993\s+0\.000667$/);
    expect(lines.at(-1)).toMatch(/^2 runs of 'csv logs' \(id \d+\)\.$/);
    const limited = await cli(["runs", "list", "csv logs", "--max", "1"]);
    expect(limited.out).toContain("stopped at --max 1");
    expect(limited.out.split("\n")).toHaveLength(4);
  });

  it("says clearly what went wrong", async () => {
    const missingFile = await cli(["log-csv", "x", path.join(dir, "nope.csv")]);
    expect(missingFile).toMatchObject({ code: 2, err: expect.stringContaining("no such file") });
    const textOnly = path.join(dir, "text.csv");
    await writeFile(textOnly, "name\nalice\n");
    expect((await cli(["log-csv", "x", textOnly])).err).toContain("has no numeric column");
    expect((await cli(["runs", "list", "no such experiment"])).err).toContain("No experiment named 'no such experiment'");
    const badFilter = await cli(["runs", "list", "Default", "--filter", "metrics.acc >>> 1"]);
    expect(badFilter.code).toBe(1);
    expect(badFilter.err).toMatch(/answered 400 INVALID_PARAMETER_VALUE/);
    const usage = await cli(["runs", "list"]);
    expect(usage).toMatchObject({ code: 2, err: expect.stringContaining("npm run studio -- runs list --help") });
    const help = await cli(["log-csv", "--help"]);
    expect(help.out).toContain("--step-column");
  });

  it("names the URL and how to start the studio when nothing answers, and asks for a token on 401", async () => {
    const refused: FetchFunction = async () => {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
    };
    const down = await cli(["experiments", "list"], { fetch: refused });
    expect(down.code).toBe(1);
    expect(down.err).toContain(`Cannot reach the studio at ${IN_PROCESS_BASE_URL}: fetch failed (ECONNREFUSED)`);
    expect(down.err).toContain("npm start");
    const unauthenticated: FetchFunction = async () =>
      new Response(JSON.stringify({ error_code: "UNAUTHENTICATED", message: "Sign in or send a token." }), { status: 401 });
    const locked = await cli(["experiments", "list"], { fetch: unauthenticated });
    expect(locked.err).toContain("401 UNAUTHENTICATED: Sign in or send a token.");
    expect(locked.err).toContain("--token");
  });
});

describe("formatTable", () => {
  it("aligns text left and numbers right", () => {
    expect(formatTable(["NAME", "ACC"], [["a", "0.9"], ["long name", "0.95"]])).toBe(
      ["NAME        ACC", "---------  ----", "a           0.9", "long name  0.95"].join("\n"),
    );
  });
});
