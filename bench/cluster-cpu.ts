// The CPU a PostgreSQL cluster spent, read from /proc: for benches that split a request's cost between the node
// process and the database (bench/log-batch-profile, bench/log-batch-ceiling).
import { readdirSync, readFileSync } from "node:fs";

/** CPU ns of the postmaster and each of its children (backends, WAL writer, checkpointer, autovacuum), by pid. */
export function clusterCpuNs(postmaster: number): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (Number(entry) !== postmaster && ppid !== postmaster) continue;
      byPid.set(Number(entry), Number(readFileSync(`/proc/${entry}/schedstat`, "utf8").split(" ")[0]));
    } catch {
      // a process that ended meanwhile
    }
  }
  return byPid;
}

/**
 * The cluster's CPU ms between two readings: a process started meanwhile counts whole; one that ended meanwhile (an
 * autovacuum worker) is lost, so this can only undercount.
 */
export function clusterCpuMsSince(postmaster: number, before: Map<number, number>): number {
  let ns = 0;
  for (const [pid, now] of clusterCpuNs(postmaster)) ns += now - (before.get(pid) ?? 0);
  return ns / 1e6;
}
