// Linux scheduling facts of this process's threads, read from /proc, for tests of the threads that lower their own
// priority (thread-priority.mjs).
import { readFileSync, readlinkSync } from "node:fs";

/** SCHED_OTHER and SCHED_IDLE as field 41 of a thread's stat reads them (linux/sched.h). */
export const SCHED_OTHER = 0;
export const SCHED_IDLE = 5;

/** Field `n` (1-based, as proc(5) numbers them) of /proc/self/task/<tid>/stat. */
function statField(tid: number, n: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
  // Fields from 3 on follow the command name, which may itself hold spaces and parentheses.
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[n - 3]);
}

/** The niceness of thread `tid` of this process: field 19 of its stat. */
export function threadNiceness(tid: number): number {
  return statField(tid, 19);
}

/** The scheduling policy of thread `tid` of this process: field 41 of its stat (SCHED_IDLE = 5). */
export function threadPolicy(tid: number): number {
  return statField(tid, 41);
}

/** The name ("comm") of thread `tid` of this process. */
export function threadName(tid: number): string {
  return readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim();
}

/** The calling thread's id ("<pid>/task/<tid>"). */
export function currentThreadId(): number {
  return Number(readlinkSync("/proc/thread-self").split("/").pop());
}
