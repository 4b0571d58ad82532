// `npm test`: everything that proves the studio works, stage by stage, stopping after the first stage that fails.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

// Outside test-results/, which Playwright empties when it starts.
const VITEST_REPORT = ".test-reports/vitest.json";
const PLAYWRIGHT_REPORT = ".test-reports/playwright.json";
const TOPOLOGY_REPORT = ".test-reports/topology.json";
mkdirSync(".test-reports", { recursive: true });
for (const report of [VITEST_REPORT, PLAYWRIGHT_REPORT, TOPOLOGY_REPORT]) rmSync(report, { force: true });

/**
 * Stages run in order, stopping after the first that fails; the steps of one stage run at the same time. tsc and
 * ESLint are one process each on a machine with two cores: side by side they take as long as the slower one. The
 * first step of a stage writes to the terminal as it goes; the others' output follows once each ends, unmixed.
 */
const vitestStep = ["unit and integration tests", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${VITEST_REPORT}`]];
const buildStep = ["production build", "npx", ["next", "build"]];
/**
 * TEST_BUILD_BESIDE_VITEST=1 runs `next build` (49 s on the CI machine, ~87 CPU-s) alongside Vitest instead of after
 * it: no Vitest file reads .next. Off by default until a quiet two-core run shows Vitest leaves enough of the CPU idle
 * for it (bench/README.md, "The test suite's time"); on a loaded machine it could only be measured as noise.
 */
const buildBesideVitest = process.env.TEST_BUILD_BESIDE_VITEST === "1";
const stages = [
  [
    ["type check", "npx", ["tsc", "--noEmit", "-p", "."]],
    ["lint", "npx", ["eslint", "."]],
  ],
  ...(buildBesideVitest ? [[vitestStep, buildStep]] : [[vitestStep], [buildStep]]),
  // Processes on the production build (two web instances, a worker, two serving replicas), so after it.
  [["team topology", "npx", ["vitest", "run", "-c", "vitest.topology.config.ts", "--reporter=default", "--reporter=json", `--outputFile.json=${TOPOLOGY_REPORT}`]]],
  // One studio server per Playwright worker (E2E_WORKERS, e2e/credentials.ts; one by default).
  [["end-to-end journeys (Chromium)", "npx", ["playwright", "test"]]],
];

/** Runs one step; resolves with its exit status and, for a step that does not stream, its output. */
function run([name, command, args], streamed) {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}${streamed ? "" : " (alongside; its output follows when it ends)"}`);
  const started = Date.now();
  const child = spawn(command, args, { stdio: streamed ? "inherit" : ["ignore", "pipe", "pipe"], env: process.env });
  const output = [];
  child.stdout?.on("data", (chunk) => output.push(chunk));
  child.stderr?.on("data", (chunk) => output.push(chunk));
  return new Promise((resolve) => {
    child.on("error", (error) => output.push(Buffer.from(`${error.message}\n`)));
    child.on("close", (status) => resolve({ name, status, seconds: ((Date.now() - started) / 1000).toFixed(1), output: Buffer.concat(output) }));
  });
}

const suiteStarted = Date.now();
for (const stage of stages) {
  const results = await Promise.all(stage.map((step, i) => run(step, i === 0)));
  let failed = false;
  for (const { name, status, seconds, output } of results) {
    if (output.length) {
      console.log(`\n=== ${name}: output`);
      process.stdout.write(output);
    }
    if (status === 0) console.log(`✓ ${name} (${seconds}s)`);
    else {
      console.error(`\n✗ ${name} failed after ${seconds}s`);
      failed = true;
    }
  }
  if (failed) process.exit(results.find((r) => r.status !== 0)?.status ?? 1);
}

/** One closing line with every test counted, for readers that look for "N passed, N failed". */
function readJson(file) {
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}
const vitest = readJson(VITEST_REPORT);
const playwright = readJson(PLAYWRIGHT_REPORT);
const topology = readJson(TOPOLOGY_REPORT);
const passed = (vitest?.numPassedTests ?? 0) + (topology?.numPassedTests ?? 0) + (playwright?.stats?.expected ?? 0);
const failed = (vitest?.numFailedTests ?? 0) + (topology?.numFailedTests ?? 0) + (playwright?.stats?.unexpected ?? 0);
const skipped =
  (vitest?.numPendingTests ?? 0) + (vitest?.numTodoTests ?? 0) + (topology?.numPendingTests ?? 0) + (topology?.numTodoTests ?? 0) + (playwright?.stats?.skipped ?? 0);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped in ${((Date.now() - suiteStarted) / 1000).toFixed(0)}s`);
