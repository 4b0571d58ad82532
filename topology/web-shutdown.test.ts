// The web server (scripts/server.mjs, the production build) on SIGTERM: a request whose body is still arriving gets
// its 200, new connections are refused, the process exits 0, and the embedded PostgreSQL it started is stopped after
// the requests finished (not at the signal). It runs on the production build, so in the topology step of `npm test`
// (after `next build`; vitest.topology.config.ts), where a missing build is a failure, not a skip.
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { processAlive, runningPostmaster } from "@/db/embedded-postgres";
import { freePort, spawnNodeUntilReady, type ChildUnderTest } from "@/server/testing/child-process";

const built = existsSync(path.join(process.cwd(), ".next", "BUILD_ID"));

describe("the web server's graceful shutdown", () => {
  it("answers the request in flight, refuses new connections, stops its database afterwards and exits 0", async () => {
    if (!built) throw new Error("No production build (.next/BUILD_ID): run `npx next build` first.");
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "studio-web-shutdown-"));
    await chmod(dataDir, 0o755);
    const port = await freePort();
    let server: ChildUnderTest | undefined;
    try {
      server = await spawnNodeUntilReady({
        what: "the web server",
        args: ["scripts/server.mjs", "-p", String(port)],
        env: { DATABASE_URL: "", STUDIO_DATA_DIR: dataDir, STUDIO_AUTH: "off", STUDIO_SEED: "none", STUDIO_SHUTDOWN_GRACE_MS: "10000" },
        readyUrl: `http://127.0.0.1:${port}/readyz`,
      });
      const { child, exited } = server;
      const postmaster = runningPostmaster(path.join(dataDir, "postgres"));
      expect(postmaster).not.toBeNull();
      const body = JSON.stringify({ max_results: 10 });
      const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const request = http.request(
          { host: "127.0.0.1", port, method: "POST", path: "/api/2.0/mlflow/experiments/search", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
          (response) => {
            let text = "";
            response.on("data", (chunk: Buffer) => (text += chunk.toString()));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
          },
        );
        request.on("error", reject);
        request.write(body.slice(0, 5));
        setTimeout(() => {
          child.kill("SIGTERM");
          setTimeout(() => request.end(body.slice(5)), 500);
        }, 200);
      });
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await fetch(`http://127.0.0.1:${port}/healthz`).then(() => "answered", () => "refused")).toBe("refused");
      const answered = await answer;
      expect(answered.status).toBe(200);
      expect(JSON.parse(answered.text).experiments[0].name).toBe("Default");
      expect(await exited).toBe(0);
      expect(server.output()).toMatch(/SIGTERM: no new connections/);
      for (let i = 0; i < 100 && processAlive(postmaster!.pid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(processAlive(postmaster!.pid)).toBe(false);
    } finally {
      if (server?.child.exitCode === null) server.child.kill("SIGKILL");
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
