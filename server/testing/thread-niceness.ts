// Linux scheduling facts of this process's threads, read from /proc, for tests of the threads that lower their own
// priority (thread-priority.mjs).
import { readFileSync, readlinkSync } from "node:fs";

/** The niceness of thread `tid` of this process: field 19 of /proc/self/task/<tid>/stat (after the ")" of its name). */
export function threadNiceness(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
  // Fields from 3 on follow the command name, which may itself hold spaces and parentheses.
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19 - 3]);
}

/** The calling thread's id ("<pid>/task/<tid>"). */
export function currentThreadId(): number {
  return Number(readlinkSync("/proc/thread-self").split("/").pop());
}
