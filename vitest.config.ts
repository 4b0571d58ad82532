// Vitest: unit and integration tests beside the code (*.test.ts); Playwright journeys live in e2e/.
// Two projects: most files share one module graph per worker (isolate: false), which saves the cost of importing
// Next, drizzle and onnxruntime again for every file; files that replace modules with vi.mock or keep process-wide
// state that another file would see (the serving and monitoring caches, the inference log writer) get a fresh one.
import path from "node:path";
import { defineConfig } from "vitest/config";

const include = ["**/*.test.ts", "**/*.test.tsx"];
// topology/: processes on the production build, its own step after `next build` (vitest.topology.config.ts).
const exclude = ["node_modules/**", "e2e/**", ".next/**", "topology/**"];
/** Files that must not share a module graph with others. */
const isolatedFiles = [
  "components/**/*.test.tsx",
  "server/monitoring/**/*.test.ts",
  "server/serving/**/*.test.ts",
  "server/auth/shared-state.test.ts",
  "server/errors.test.ts",
];

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Two test files at once. Vitest's default is one fewer than the cores, i.e. one on a two-core machine, and most
    // files spend much of their time waiting on PostgreSQL, child processes and timers rather than on the CPU.
    maxWorkers: 2,
    // Next.js's own server runtime sets a global AsyncLocalStorage before any of its modules load; outside it, a module
    // that reaches Next's server code (next-intl, next/navigation) gets a stand-in that throws asynchronously, an
    // unhandled error Vitest pins on whichever file runs next in the worker (seen once in a gate: 2,924 passed, 1 error).
    setupFiles: ["./server/testing/next-runtime-globals.ts"],
    // Refused requests are the point of many tests: their JSON error lines would bury the report (tests that check them turn them on).
    // A fixed key seals secrets in tests, instead of a key file in the worktree (secret-box.test.ts tests the file).
    env: { STUDIO_LOG_ERRORS: "0", STUDIO_SECRET_KEY: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0" },
    projects: [
      { extends: true, test: { name: "isolated", include: isolatedFiles, exclude, isolate: true } },
      { extends: true, test: { name: "shared", include, exclude: [...exclude, ...isolatedFiles], isolate: false } },
    ],
  },
});
