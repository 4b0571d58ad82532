// `npm run serve` as a separate process on PostgreSQL, changed from this one: a promotion made here is answered by the
// replica within a second (its alias cache is set to a minute, so only the NOTIFY can explain it) with no failed
// request during the switch, and a deleted alias stops answering within a second. Then SIGTERM with a request in
// flight: that request still gets its 200, new connections are refused, and the inference log is written before exit.
// PostgreSQL: TEST_DATABASE_URL's server when set, else an embedded PostgreSQL this test starts in /tmp.
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { inferenceLog } from "@/db/schema";
import { openDatabase, type Database } from "@/db/client";
import { ensureEmbeddedPostgres } from "@/db/embedded-postgres";
import { LocalArtifactStore } from "../artifacts/store";
import { systemActor, type Actor } from "../auth/actor";
import { createUserAsSystem } from "../auth/accounts";
import { zCreateToken, zCreateUser } from "../auth/schema";
import { createToken } from "../auth/tokens";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { deleteModelAlias, setModelAlias } from "../registry/registered-models";
import type { ServiceContext } from "../service-context";
import { createTestStudio } from "../testing/test-database";
import { freePort, spawnNodeUntilReady, type ChildUnderTest } from "../testing/child-process";
import { ensureDefaultExperiment } from "../tracking/experiments";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TestPostgres {
  url: string;
  db: Database;
  artifactRoot: string;
  close(): Promise<void>;
}

async function testPostgres(): Promise<TestPostgres> {
  if (process.env.TEST_DATABASE_URL) {
    const studio = await createTestStudio("postgres");
    const url = (studio.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString;
    return { url, db: studio.db, artifactRoot: studio.artifactRoot, close: () => studio.close() };
  }
  console.log("[tests] TEST_DATABASE_URL is not set: the serving replica test starts its own embedded PostgreSQL");
  const dir = await mkdtemp(path.join(os.tmpdir(), "studio-replicas-"));
  await chmod(dir, 0o755);
  const pg = await ensureEmbeddedPostgres(dir);
  const handle = await openDatabase({ url: pg.url });
  await ensureDefaultExperiment(handle.db);
  return {
    url: pg.url,
    db: handle.db,
    artifactRoot: path.join(dir, "artifacts"),
    close: async () => {
      await handle.close();
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe("serving replicas in their own process", () => {
  let pg: TestPostgres;
  let ctx: ServiceContext;
  let replica: ChildUnderTest;
  let base: string;
  let port: number;
  let token: string;
  let body: string;

  beforeAll(async () => {
    pg = await testPostgres();
    const artifacts = new LocalArtifactStore(pg.artifactRoot);
    const system = { db: pg.db, artifacts, actor: systemActor };
    const bytes = new Uint8Array(await readFile("fixtures/models/credit-logreg.onnx"));
    await registerOnnxUpload(system, { name: "credit", bytes });
    await registerOnnxUpload(system, { name: "credit", bytes });
    await setModelAlias(system, { name: "credit", alias: "production", version: "1", overrideReason: "replica test: no review needed" });
    await setModelAlias(system, { name: "credit", alias: "staging", version: "2" });
    const user = await createUserAsSystem(pg.db, zCreateUser.parse({ username: "replica-admin", password: "password-1234", role: "admin" }));
    const admin: Actor = { userId: user.userId, username: user.username, role: "admin", via: "session" };
    ctx = { db: pg.db, artifacts, actor: admin };
    token = (await createToken(ctx, zCreateToken.parse({ name: "replica" }))).token;
    const [head, ...lines] = (await readFile("fixtures/datasets/credit.test.csv", "utf8")).trim().split("\n");
    const columns = head!.split(",").slice(0, 9);
    const strings = new Set(["sex", "purpose", "housing"]);
    const rows = lines.slice(0, 2).map((l) => l.split(",").slice(0, 9).map((v, i) => (strings.has(columns[i]!) ? v : Number(v))));
    body = JSON.stringify({ dataframe_split: { columns, data: rows } });

    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "studio-replica-data-"));
    replica = await spawnNodeUntilReady({
      what: "the serving process",
      args: ["--import", "tsx", "server/serving/standalone.ts"],
      env: {
        DATABASE_URL: pg.url,
        STUDIO_DATA_DIR: dataDir,
        STUDIO_ARTIFACT_ROOT: pg.artifactRoot,
        STUDIO_SERVING_PORT: String(port),
        // A minute: only the change notification can make the replica follow within a second.
        STUDIO_SERVING_ALIAS_CACHE_MS: "60000",
        STUDIO_SHUTDOWN_GRACE_MS: "10000",
      },
      readyUrl: `${base}/readyz`,
      timeoutMs: 60_000,
    });
  }, 120_000);

  afterAll(async () => {
    if (replica && replica.child.exitCode === null) {
      replica.child.kill("SIGKILL");
      await replica.exited;
    }
    await pg?.close();
  });

  const predict = (reference: string) =>
    fetch(`${base}/api/serve/${reference}/invocations`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });

  it("answers a promotion made by another process within a second, failing no request during the switch", async () => {
    expect((await predict("credit")).headers.get("x-model-version")).toBe("1");
    expect((await predict("credit@staging")).headers.get("x-model-version")).toBe("2");
    const answers: { status: number; version: string | null; sentAt: number; at: number }[] = [];
    let running = true;
    const traffic = async () => {
      while (running) {
        const sentAt = Date.now();
        const answer = await predict("credit");
        await answer.arrayBuffer();
        answers.push({ status: answer.status, version: answer.headers.get("x-model-version"), sentAt, at: Date.now() });
      }
    };
    const clients = [traffic(), traffic(), traffic()];
    await sleep(500);
    const promotedAt = Date.now();
    await setModelAlias(ctx, { name: "credit", alias: "production", version: "2", overrideReason: "replica test: promotion" });
    const committedAt = Date.now();
    await sleep(1_500);
    running = false;
    await Promise.all(clients);

    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    // Every request sent a second after the commit is answered by the new version…
    const late = answers.filter((a) => a.sentAt >= committedAt + 1_000);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((a) => a.version === "2")).toBe(true);
    // …and the first answer by it came within that second of the promotion's return (setModelAlias commits, then
    // warms this process's own session, so the replica may well answer before it returns).
    const firstNew = answers.filter((a) => a.version === "2").sort((a, b) => a.at - b.at)[0]!;
    console.log(
      `[replica test] ${answers.length} requests; the replica answered with the new version ${firstNew.at - promotedAt} ms after the promotion call started ` +
        `(${committedAt - promotedAt} ms until it returned)`,
    );
    expect(firstNew.at - committedAt).toBeLessThan(1_000);
  });

  it("stops answering a deleted alias within a second", async () => {
    expect((await predict("credit@staging")).status).toBe(200);
    const deletedAt = Date.now();
    await deleteModelAlias(ctx, { name: "credit", alias: "staging" });
    let status = 200;
    while (status === 200 && Date.now() - deletedAt < 3_000) {
      status = (await predict("credit@staging")).status;
      if (status === 200) await sleep(20);
    }
    expect(status).toBe(404);
    expect(Date.now() - deletedAt).toBeLessThan(1_000);
  });

  it("on SIGTERM answers the request in flight, refuses new connections, writes its inference log and exits 0", async () => {
    const requestId = `in-flight-${Date.now()}`;
    // A request whose body is still arriving when the signal comes.
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(
        { host: "127.0.0.1", port, method: "POST", path: "/api/serve/credit/invocations", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-request-id": requestId } },
        (response) => {
          let text = "";
          response.on("data", (chunk: Buffer) => (text += chunk.toString()));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        },
      );
      request.on("error", reject);
      request.write(body.slice(0, 10));
      setTimeout(() => {
        replica.child.kill("SIGTERM");
        setTimeout(() => request.end(body.slice(10)), 500);
      }, 200);
    });
    await sleep(400);
    const refused = await fetch(`${base}/healthz`).then(
      () => "answered",
      () => "refused",
    );
    expect(refused).toBe("refused");
    const answered = await answer;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.text)).toHaveProperty("predictions");
    expect(await replica.exited).toBe(0);
    expect(replica.output()).toMatch(/SIGTERM: no new connections/);
    const logged = await pg.db.select({ requestId: inferenceLog.requestId }).from(inferenceLog).where(eq(inferenceLog.requestId, requestId));
    expect(logged).toHaveLength(1);
  });
});
