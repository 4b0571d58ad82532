// Processes that tests start: a free loopback port to give them, and a child whose output is kept (for the failure
// message) and which is waited on until a URL of it answers 200. One copy for every test that starts the web server,
// a serving replica or a worker as a process of its own.
import { spawn, type ChildProcess } from "node:child_process";

export { freePort } from "@/db/embedded-postgres";

export interface ChildUnderTest {
  child: ChildProcess;
  /** Its stdout and stderr so far, interleaved as they came. */
  output(): string;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

/** A node process (`node <args>`) with `env` over this process's environment, its output kept. */
export function spawnNode(args: string[], env: Record<string, string>): ChildUnderTest {
  let output = "";
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * spawnNode, then polls `readyUrl` until it answers 200. If it exits first or does not within `timeoutMs`, it is
 * killed and the error carries its output.
 */
export async function spawnNodeUntilReady(options: { what: string; args: string[]; env: Record<string, string>; readyUrl: string; timeoutMs?: number }): Promise<ChildUnderTest> {
  const started = spawnNode(options.args, options.env);
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while ((await fetch(options.readyUrl).then((r) => r.status, () => 0)) !== 200) {
    if (Date.now() > deadline || started.child.exitCode !== null || started.child.signalCode !== null) {
      if (started.child.exitCode === null) started.child.kill("SIGKILL");
      throw new Error(`${options.what} did not become ready at ${options.readyUrl}:\n${started.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return started;
}
