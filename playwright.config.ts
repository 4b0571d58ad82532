// Playwright: the journeys in e2e/ against the production build (scripts/server.mjs, i.e. next start behind its path check), in Debian's Chromium.
// One studio server per worker (:3100, :3101, …, each on a fresh data folder with its own embedded PostgreSQL): a worker's
// journeys run one after the other on its server, and never see another worker's changes to the demo data.
import { defineConfig } from "@playwright/test";
import { E2E_ADMIN_PASSWORD, E2E_BASE_URL, E2E_DEMO_PASSWORD, E2E_STORAGE_STATE, E2E_WORKERS, e2eBaseUrl, e2eDataDir, e2ePort } from "./e2e/credentials";

export default defineConfig({
  testDir: "e2e",
  // A worker per server (E2E_WORKERS, see e2e/credentials.ts); within a file, journeys run in order. A flaky journey fails
  // loudly instead of being retried.
  workers: E2E_WORKERS,
  fullyParallel: false,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: ".test-reports/playwright.json" }]],
  use: {
    // This file is loaded again in each worker, where TEST_PARALLEL_INDEX picks the worker's own server and session.
    baseURL: E2E_BASE_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "sign-in", testMatch: /sign-in\.setup\.ts$/ },
    { name: "chromium", testMatch: /\.spec\.ts$/, dependencies: ["sign-in"], use: { storageState: E2E_STORAGE_STATE } },
  ],
  webServer: Array.from({ length: E2E_WORKERS }, (_, server) => ({
    // A fresh data folder every run, so the first-start work (initdb, migrations, admin, demo seed) is exercised too;
    // a postmaster a killed run left on the old folder is stopped first.
    command: `node scripts/reset-data-folder.mjs ${JSON.stringify(e2eDataDir(server))} && node scripts/server.mjs -p ${e2ePort(server)}`,
    // SIGTERM, not Playwright's default SIGKILL of the process group: the studio stops its PostgreSQL cleanly.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    url: `${e2eBaseUrl(server)}/sign-in`,
    name: `studio :${e2ePort(server)}`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      STUDIO_DATA_DIR: e2eDataDir(server),
      STUDIO_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
      STUDIO_DEMO_PASSWORD: E2E_DEMO_PASSWORD,
      // The canary journey breaks a version with the x-test-fail-version header, honoured only with this switch.
      STUDIO_SERVING_TEST_FAULTS: "1",
      // The journeys use the embedded default (PostgreSQL in .studio-e2e-<i>) even where the machine has a DATABASE_URL
      // or STUDIO_DATABASE.
      DATABASE_URL: "",
      STUDIO_DATABASE: "",
    },
  })),
});
