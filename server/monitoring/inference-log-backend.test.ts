// The inference log writer's PostgreSQL backend in SCHED_IDLE (inference-log-backend.mjs): which backends may be
// lowered (never a database on another machine; by default only the embedded cluster of this data folder), and, on a
// PostgreSQL server on this machine with STUDIO_LOG_BACKEND_POLICY=idle, the backend that wrote the rows really runs in
// SCHED_IDLE afterwards (read from /proc), while the rows are all written.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { like } from "drizzle-orm";
import { inferenceLog } from "@/db/schema";
import { createTestStudio, type TestStudio } from "../testing/test-database";
import { systemActor } from "../auth/actor";
import { registerOnnxUpload } from "../registry/onnx-versions";
import { findModelVersion, findRegisteredModel } from "../registry/model-versions";
import { backendDecision, backendSchedPolicy, hostOf, isLocalHost, logBackendPolicy } from "./inference-log-backend.mjs";

// Read by the writer thread when it connects: set before the first entry starts it.
process.env.STUDIO_LOG_BACKEND_POLICY = "idle";
const { flushInferenceLog, inferenceLogStatus, recordInference } = await import("./inference-log");

const postgresProcess = (cwd: string | null) => () => ({ comm: "postgres", cwd });

describe("which log backends may be lowered", () => {
  it("never one on another machine, whatever the policy, and says why when it was asked for", () => {
    const remote = backendDecision({ policy: "idle", host: "db.example.com", pid: 4242, embeddedCluster: null, platform: "linux", processOf: postgresProcess("/x") });
    expect(remote.lower).toBe(false);
    expect(remote.reason).toMatch(/not on this machine \(host db\.example\.com\)/);
    const auto = backendDecision({ policy: "auto", host: "10.0.0.5", pid: 4242, embeddedCluster: "/x", platform: "linux", processOf: postgresProcess("/x") });
    expect(auto).toEqual({ lower: false, reason: null });
  });

  it("by default only the embedded cluster of this data folder: its backends work in <data folder>/postgres", () => {
    const cluster = process.cwd(); // any existing folder stands for the cluster (realpath is taken)
    expect(backendDecision({ policy: "auto", host: "127.0.0.1", pid: 1, embeddedCluster: cluster, platform: "linux", processOf: postgresProcess(cluster) })).toEqual({ lower: true, reason: null });
    // A local PostgreSQL server of someone else's (another data directory): left alone, silently.
    expect(backendDecision({ policy: "auto", host: "127.0.0.1", pid: 1, embeddedCluster: cluster, platform: "linux", processOf: postgresProcess("/var/lib/postgresql/15/main") })).toEqual({ lower: false, reason: null });
    // STUDIO_LOG_BACKEND_POLICY=idle: a local server is lowered too.
    expect(backendDecision({ policy: "idle", host: "localhost", pid: 1, embeddedCluster: cluster, platform: "linux", processOf: postgresProcess("/var/lib/postgresql/15/main") }).lower).toBe(true);
  });

  it("refuses a pid that is no local PostgreSQL process (another PID namespace), a non-Linux host, and policy normal", () => {
    const notPostgres = backendDecision({ policy: "idle", host: "127.0.0.1", pid: 1, embeddedCluster: null, platform: "linux", processOf: () => ({ comm: "systemd", cwd: "/" }) });
    expect(notPostgres.lower).toBe(false);
    expect(notPostgres.reason).toMatch(/not a PostgreSQL process on this machine/);
    expect(backendDecision({ policy: "idle", host: "127.0.0.1", pid: 1, embeddedCluster: null, platform: "darwin", processOf: postgresProcess("/") }).reason).toMatch(/Linux only/);
    expect(backendDecision({ policy: "normal", host: "127.0.0.1", pid: 1, embeddedCluster: null, platform: "linux", processOf: postgresProcess("/") })).toEqual({ lower: false, reason: null });
  });

  it("reads the host of a config or connection string, and knows loopback from not", () => {
    expect(hostOf({ connectionString: "postgres://u:p@127.0.0.1:5432/db" })).toBe("127.0.0.1");
    expect(hostOf({ connectionString: "postgres://u@/db?host=/var/run/postgresql" })).toBe("/var/run/postgresql");
    expect(hostOf({ host: "db.internal", connectionString: "postgres://127.0.0.1/db" })).toBe("db.internal");
    expect(["127.0.0.1", "localhost", "::1", "[::1]", "/tmp"].map(isLocalHost)).toEqual([true, true, true, true, true]);
    expect(["10.0.0.1", "db.internal", "128.0.0.1"].map(isLocalHost)).toEqual([false, false, false]);
  });

  it("rejects a policy it does not know, naming the values it takes", () => {
    process.env.STUDIO_LOG_BACKEND_POLICY = "low";
    try {
      expect(() => logBackendPolicy()).toThrow(/'auto', 'idle' or 'normal', got 'low'/);
    } finally {
      process.env.STUDIO_LOG_BACKEND_POLICY = "idle";
    }
  });
});

const localPostgres = process.env.TEST_DATABASE_URL && isLocalHost(hostOf({ connectionString: process.env.TEST_DATABASE_URL })) && process.platform === "linux";
if (!localPostgres) console.log("[tests] the log backend's SCHED_IDLE is checked on a PostgreSQL server on this machine (TEST_DATABASE_URL on a loopback host, Linux): skipped here.");

describe.skipIf(!localPostgres)("the log writer's backend on a PostgreSQL server on this machine", () => {
  let studio: TestStudio;
  afterAll(async () => {
    await flushInferenceLog();
    await studio?.close();
  });

  it("runs in SCHED_IDLE once it wrote (root may lower another user's process; otherwise it says why, once)", async () => {
    studio = await createTestStudio("postgres");
    await registerOnnxUpload(studio.as(systemActor), { name: "bc", bytes: new Uint8Array(await readFile("fixtures/models/breast-cancer-rf-v1.onnx")) });
    const { modelId } = await findRegisteredModel(studio.db, "bc");
    const { versionId } = (await findModelVersion(studio.db, "bc", "1")).row;
    for (let i = 0; i < 20; i++) {
      recordInference(studio.db, { modelId, versionId, requestId: `backend-idle-${i}`, at: Date.now(), latencyMs: 1, inputs: { x0: [i] }, predictions: [0], protocol: "v2" });
    }
    await flushInferenceLog();
    const rows = await studio.db.select().from(inferenceLog).where(like(inferenceLog.requestId, "backend-idle-%"));
    expect(rows).toHaveLength(20);
    const backend = inferenceLogStatus().writerBackend;
    expect(backend).not.toBeNull();
    expect(readFileSync(`/proc/${backend!.pid}/comm`, "utf8").trim()).toBe("postgres");
    if (process.getuid?.() === 0) {
      expect(backend!.policy).toBe("idle");
      expect(backendSchedPolicy(backend!.pid)).toBe(5);
    } else {
      expect(backend!.policy).toBe("normal");
      expect(backendSchedPolicy(backend!.pid)).toBe(0);
    }
  });
});
