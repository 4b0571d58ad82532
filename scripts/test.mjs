// `npm test`: everything that proves the studio works, in order, stopping at the first failure.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

// Outside test-results/, which Playwright empties when it starts.
const VITEST_REPORT = ".test-reports/vitest.json";
const PLAYWRIGHT_REPORT = ".test-reports/playwright.json";
const TOPOLOGY_REPORT = ".test-reports/topology.json";
mkdirSync(".test-reports", { recursive: true });
for (const report of [VITEST_REPORT, PLAYWRIGHT_REPORT, TOPOLOGY_REPORT]) rmSync(report, { force: true });

const steps = [
  ["type check", "npx", ["tsc", "--noEmit", "-p", "."]],
  ["lint", "npx", ["eslint", "."]],
  ["unit and integration tests", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${VITEST_REPORT}`]],
  ["production build", "npx", ["next", "build"]],
  // Processes on the production build (two web instances, a worker, two serving replicas), so after it.
  ["team topology", "npx", ["vitest", "run", "-c", "vitest.topology.config.ts", "--reporter=default", "--reporter=json", `--outputFile.json=${TOPOLOGY_REPORT}`]],
  ["end-to-end journeys (Chromium)", "npx", ["playwright", "test"]],
];

for (const [name, command, args] of steps) {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${name} (${seconds}s)`);
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
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
