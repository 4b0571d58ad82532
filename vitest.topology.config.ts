// Vitest for topology/: the team topology (two web instances, a worker, two serving replicas, its own PostgreSQL and
// S3 server) as processes on the production build. Its own step in scripts/test.mjs, after `next build`; one file,
// one fork, steps in order on one topology.
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["topology/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 240_000,
    pool: "forks",
    fileParallelism: false,
  },
});
