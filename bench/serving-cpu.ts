// CPU time per request for bench/serving, read from /proc (Linux): the serving process's main thread (the event loop
// that answers requests), the whole process and each of its named off-path threads (the shadow's scorer, the inference
// log's writer; the rest: libuv, V8, onnxruntime), and the PostgreSQL backends of the bench database (the log writer's
// own connection apart, by its application_name). On a machine shared with other work, req/s swings with what else
// runs; CPU time per request does much less, so it says what a change costs where throughput cannot.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

const TICKS_PER_SECOND = 100;
/** The names the off-path threads give themselves (SHADOW_THREAD_NAME, LOG_WRITER_THREAD_NAME of server/thread-priority.mjs). */
const SHADOW_THREAD = "studio-shadow";
const LOG_WRITER_THREAD = "studio-logwrite";
/** The inference log writer's PostgreSQL connection (application_name in server/monitoring/inference-log-worker.mjs). */
const LOG_WRITER_APPLICATION = "studio inference log";

function cpuSecondsOf(statPath: string): number {
  const stat = readFileSync(statPath, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

interface ThreadCpu {
  main: number;
  all: number;
  /** Seconds by thread id, with the thread's name, to tell the shadow's scorer and the log's writer apart. */
  threads: Map<number, { name: string; seconds: number }>;
}

function processCpu(pid: number): ThreadCpu {
  let all = 0;
  let main = 0;
  const threads = new Map<number, { name: string; seconds: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const seconds = cpuSecondsOf(`/proc/${pid}/task/${tid}/stat`);
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      all += seconds;
      threads.set(Number(tid), { name, seconds });
      if (Number(tid) === pid) main = seconds;
    } catch {
      // a thread that ended meanwhile
    }
  }
  return { main, all, threads };
}

/** Seconds each named off-path thread (and every other thread but the main one) spent between two readings. */
function offPathSeconds(pid: number, before: ThreadCpu, after: ThreadCpu): { shadow: number; writer: number; other: number } {
  const spent = { shadow: 0, writer: 0, other: 0 };
  for (const [tid, { name, seconds }] of after.threads) {
    if (tid === pid) continue;
    // A thread that started meanwhile counts from zero; one that ended meanwhile is missing (its CPU too).
    const delta = seconds - (before.threads.get(tid)?.seconds ?? 0);
    if (name === SHADOW_THREAD) spent.shadow += delta;
    else if (name === LOG_WRITER_THREAD) spent.writer += delta;
    else spent.other += delta;
  }
  return spent;
}

/** The node process serving requests: tsx's CLI runs the script in a child process of its own. */
export function nodeProcessOf(launcherPid: number): number {
  try {
    const children = execFileSync("pgrep", ["-P", String(launcherPid)], { encoding: "utf8" }).trim().split("\n").filter(Boolean).map(Number);
    return children[0] ?? launcherPid;
  } catch {
    return launcherPid;
  }
}

export interface CpuPerRequest {
  /** µs of the serving process's main thread per request. */
  mainUs: number;
  /** µs of the whole serving process per request. */
  processUs: number;
  /** µs of the bench database's PostgreSQL backends per request (null without one on this machine). */
  postgresUs: number | null;
  /** µs per request of the shadow's scoring thread, the inference log's writer, and the process's other threads (libuv, V8, onnxruntime). */
  shadowThreadUs: number;
  logWriterUs: number;
  otherThreadsUs: number;
  /** Of postgresUs: the log writer's backend (its inserts of inference_log rows), autovacuum's workers, every other backend. */
  postgresLogUs: number | null;
  postgresAutovacuumUs: number | null;
  postgresOtherUs: number | null;
}

type BackendKind = "log" | "autovacuum" | "other";

async function backends(databaseUrl: string): Promise<{ pid: number; kind: BackendKind }[]> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query("select pid, application_name, backend_type from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
    return rows.map((r: { pid: number; application_name: string; backend_type: string }) => ({
      pid: r.pid,
      kind: r.application_name.startsWith(LOG_WRITER_APPLICATION) ? "log" : r.backend_type === "autovacuum worker" ? "autovacuum" : "other",
    }));
  } finally {
    await client.end();
  }
}

async function postgresCpu(databaseUrl: string | null): Promise<Map<number, { seconds: number; kind: BackendKind }> | null> {
  if (!databaseUrl || !["127.0.0.1", "localhost"].includes(new URL(databaseUrl).hostname)) return null;
  const seconds = new Map<number, { seconds: number; kind: BackendKind }>();
  for (const { pid, kind } of await backends(databaseUrl)) {
    try {
      seconds.set(pid, { seconds: cpuSecondsOf(`/proc/${pid}/stat`), kind });
    } catch {
      return null; // not readable (another user's processes): no PostgreSQL figure rather than a wrong one
    }
  }
  return seconds;
}

/**
 * Starts measuring; the returned function stops and divides by the requests served meanwhile. Null where /proc is
 * not there to read.
 */
export async function meterCpu(pid: number, databaseUrl: string | null): Promise<((requests: number) => Promise<CpuPerRequest>) | null> {
  if (os.platform() !== "linux") return null;
  const before = processCpu(pid);
  const pgBefore = await postgresCpu(databaseUrl);
  return async (requests) => {
    const after = processCpu(pid);
    const pgAfter = await postgresCpu(databaseUrl);
    let postgres: Record<BackendKind, number> | null = null;
    if (pgBefore && pgAfter) {
      // Backends that started meanwhile count from zero; one that ended meanwhile is missing (rare for pools under load;
      // an autovacuum worker that starts and ends within the phase is missed).
      postgres = { log: 0, autovacuum: 0, other: 0 };
      for (const [backend, { seconds, kind }] of pgAfter) postgres[kind] += seconds - (pgBefore.get(backend)?.seconds ?? 0);
    }
    const perRequest = (seconds: number) => (seconds * 1e6) / Math.max(1, requests);
    if (process.env.BENCH_CPU_THREADS === "1") {
      // Every thread that ran, by id and name: what "other threads" holds, when it needs explaining.
      const spent = [...after.threads].map(([tid, t]) => ({ tid, name: t.name, us: perRequest(t.seconds - (before.threads.get(tid)?.seconds ?? 0)) })).filter((t) => t.us > 0);
      console.log(`[bench] CPU µs/request by thread of ${pid}: ${spent.map((t) => `${t.tid} ${t.name} ${Math.round(t.us)}`).join(", ")}`);
    }
    const offPath = offPathSeconds(pid, before, after);
    return {
      mainUs: perRequest(after.main - before.main),
      processUs: perRequest(after.all - before.all),
      postgresUs: postgres === null ? null : perRequest(postgres.log + postgres.autovacuum + postgres.other),
      shadowThreadUs: perRequest(offPath.shadow),
      logWriterUs: perRequest(offPath.writer),
      otherThreadsUs: perRequest(offPath.other),
      postgresLogUs: postgres === null ? null : perRequest(postgres.log),
      postgresAutovacuumUs: postgres === null ? null : perRequest(postgres.autovacuum),
      postgresOtherUs: postgres === null ? null : perRequest(postgres.other),
    };
  };
}
