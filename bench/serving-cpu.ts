// CPU time per request for bench/serving, read from /proc (Linux): the serving process's main thread (the event loop
// that answers requests), the whole process (its other threads: the inference log's writer, onnxruntime, libuv), and
// the PostgreSQL backends of the bench database. On a machine shared with other work, req/s swings with what else
// runs; CPU time per request does much less, so it says what a change costs where throughput cannot.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

const TICKS_PER_SECOND = 100;

function cpuSecondsOf(statPath: string): number {
  const stat = readFileSync(statPath, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function processCpu(pid: number): { main: number; all: number } {
  let all = 0;
  let main = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const seconds = cpuSecondsOf(`/proc/${pid}/task/${tid}/stat`);
      all += seconds;
      if (Number(tid) === pid) main = seconds;
    } catch {
      // a thread that ended meanwhile
    }
  }
  return { main, all };
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
}

async function backendPids(databaseUrl: string): Promise<number[]> {
  const { Client } = await import("pg");
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query("select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
    return rows.map((r: { pid: number }) => r.pid);
  } finally {
    await client.end();
  }
}

async function postgresCpu(databaseUrl: string | null): Promise<Map<number, number> | null> {
  if (!databaseUrl || !["127.0.0.1", "localhost"].includes(new URL(databaseUrl).hostname)) return null;
  const seconds = new Map<number, number>();
  for (const pid of await backendPids(databaseUrl)) {
    try {
      seconds.set(pid, cpuSecondsOf(`/proc/${pid}/stat`));
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
    let postgres: number | null = null;
    if (pgBefore && pgAfter) {
      // Backends that started meanwhile count from zero; one that ended meanwhile is missing (rare: pools stay open under load).
      postgres = 0;
      for (const [backend, seconds] of pgAfter) postgres += seconds - (pgBefore.get(backend) ?? 0);
    }
    const perRequest = (seconds: number) => (seconds * 1e6) / Math.max(1, requests);
    return { mainUs: perRequest(after.main - before.main), processUs: perRequest(after.all - before.all), postgresUs: postgres === null ? null : perRequest(postgres) };
  };
}
