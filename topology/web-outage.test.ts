// The web server (scripts/server.mjs, the production build) with an unreachable database, from its very first request:
// started with DATABASE_URL on a port where nothing listens, it stays up and answers pages with the outage page and
// the API with JSON 503s, all with Retry-After, never Next.js's 500; it starts by itself once the database answers.
// Then the database goes away again: the first page to meet it (nothing marked it unreachable before) gets the
// outage page too, and everything comes back with the database. On the production build, hence in topology/.
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ensureEmbeddedPostgres, type EmbeddedPostgres } from "@/db/embedded-postgres";
import { freePort, spawnNodeUntilReady, type ChildUnderTest } from "@/server/testing/child-process";

const built = existsSync(path.join(process.cwd(), ".next", "BUILD_ID"));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stack trace, a socket error or a connection string in a body: none may reach a client. */
const INTERNALS = /\n\s+at |ECONNREFUSED|postgres:\/\/|Internal Server Error/;

describe("the web server with its database unreachable", () => {
  it("answers 503 with Retry-After from the first request, starts when the database answers, and does so again after a later outage", async () => {
    if (!built) throw new Error("No production build (.next/BUILD_ID): run `npx next build` first.");
    const dir = await mkdtemp(path.join(os.tmpdir(), "studio-web-outage-"));
    // As root the postmaster runs as 'postgres', which must be able to enter the folder (mkdtemp makes it 0700).
    await chmod(dir, 0o755);
    // The cluster is made (its password and port chosen) and stopped at once: DATABASE_URL then names a closed port.
    let pg: EmbeddedPostgres | undefined = await ensureEmbeddedPostgres(path.join(dir, "db"));
    const { url, port: databasePort } = pg;
    await pg.stop();
    pg = undefined;
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let server: ChildUnderTest | undefined;
    // Bounded: a request that hangs fails its step, with the server's output, instead of the whole test timing out.
    const get = (where: string, headers: Record<string, string> = {}) => fetch(`${base}${where}`, { headers, redirect: "manual", signal: AbortSignal.timeout(20_000) });
    const page = (where: string) => get(where, { "accept-language": "en" });
    const experiments = () => get("/api/2.0/mlflow/experiments/search?max_results=10");
    /** The outage page, as a page request gets it while the database does not answer. */
    const expectOutagePage = async (answer: Response) => {
      const text = await answer.text();
      expect(answer.status, text.slice(0, 300)).toBe(503);
      expect(answer.headers.get("retry-after")).toBe("5");
      expect(answer.headers.get("content-type")).toMatch(/^text\/html/);
      expect(text).toContain("database is unreachable");
      expect(text).not.toMatch(INTERNALS);
    };
    /** An API's JSON 503 with the database message. */
    const expectJson503 = async (answer: Response) => {
      const text = await answer.text();
      expect(answer.status, text.slice(0, 300)).toBe(503);
      expect(answer.headers.get("retry-after")).toBe("5");
      expect(text).toMatch(/database is unreachable/);
      expect(text).not.toMatch(INTERNALS);
    };
    try {
      server = await spawnNodeUntilReady({
        what: "the web server",
        args: ["scripts/server.mjs", "-p", String(port)],
        // Liveness only: readiness is what must say 503 here.
        readyUrl: `${base}/healthz`,
        env: {
          DATABASE_URL: url,
          DATABASE_CONNECT_TIMEOUT_MS: "1000",
          STUDIO_START_RETRY_MS: "500",
          STUDIO_DATA_DIR: path.join(dir, "data"),
          STUDIO_AUTH: "off",
          STUDIO_SEED: "none",
          STUDIO_JOBS: "off",
          STUDIO_LOG_ERRORS: "0",
        },
      });
      expect(server.output()).toMatch(/the database is unreachable \(connection refused\): pages and the API answer 503/);
      expect(server.output()).not.toMatch(/could not start/);

      // The first requests this instance answers: pages, the MLflow API, the pages' tRPC API, readiness.
      await expectOutagePage(await page("/models"));
      await expectOutagePage(await page("/models/credit"));
      const french = await get("/experiments", { "accept-language": "fr-FR,fr;q=0.9" });
      expect(french.status).toBe(503);
      expect(await french.text()).toContain("La base de données du studio est injoignable");
      await expectJson503(await experiments());
      const trpc = await get(`/api/trpc/registry.listModels?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
      await expectJson503(trpc);
      const ready = await get("/readyz");
      expect(ready.status).toBe(503);
      expect(ready.headers.get("retry-after")).toBe("5");
      expect(await ready.json()).toMatchObject({ status: "unavailable", reason: "database: connection refused" });

      // The database comes: the studio starts by itself (migrations, the Default experiment) and everything answers.
      pg = await ensureEmbeddedPostgres(path.join(dir, "db"), { port: databasePort });
      const cameAt = Date.now();
      while ((await get("/readyz")).status !== 200) {
        expect(Date.now() - cameAt, server.output()).toBeLessThan(30_000);
        await sleep(200);
      }
      while (!/the database answers: started/.test(server.output())) {
        expect(Date.now() - cameAt, server.output()).toBeLessThan(30_000);
        await sleep(200);
      }
      const listed = await experiments();
      expect(listed.status).toBe(200);
      expect((await listed.json()).experiments.map((e: { name: string }) => e.name)).toContain("Default");
      const created = await fetch(`${base}/api/2.0/mlflow/registered-models/create`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "credit" }),
        signal: AbortSignal.timeout(20_000),
      });
      expect(created.status).toBe(200);
      // A page that reads the database while it renders (whether the model exists), unlike /models's shell.
      const model = await page("/models/credit");
      expect(model.status).toBe(200);
      expect(await model.text()).toContain("<h1>credit</h1>");

      // It goes away again. Nothing has marked it unreachable: the first page to meet that still gets the outage page.
      await pg.stop();
      pg = undefined;
      await expectOutagePage(await page("/models/credit"));
      await expectJson503(await experiments());

      // And back once more: pages answer again without a restart.
      pg = await ensureEmbeddedPostgres(path.join(dir, "db"), { port: databasePort });
      const backAt = Date.now();
      let again = await page("/models/credit");
      while (again.status !== 200) {
        expect(again.status).toBe(503);
        expect(Date.now() - backAt, server.output()).toBeLessThan(30_000);
        await sleep(200);
        again = await page("/models/credit");
      }
      expect(await again.text()).toContain("<h1>credit</h1>");
      expect(server.child.exitCode).toBeNull();
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- the web server's output ---\n${server?.output().slice(-6_000)}`, { cause: error });
    } finally {
      if (server?.child.exitCode === null) {
        server.child.kill("SIGTERM");
        await Promise.race([server.exited, sleep(15_000)]);
        if (server.child.exitCode === null) server.child.kill("SIGKILL");
      }
      await pg?.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
