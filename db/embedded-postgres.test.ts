// The embedded default on a real PostgreSQL: start, migrate, write, stop, start again and read back; a second
// process attaches instead of starting another postmaster; a studio killed with -9 leaves a postmaster the next
// start adopts; a postmaster killed with it leaves a stale postmaster.pid the next start gets past.
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, mkdir, mkdtemp, readlink, rm, stat, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { chooseEmbeddedDatabase, openDatabase } from "./client";
import { embeddedPostgresPaths, ensureEmbeddedPostgres, processAlive, restoreLibrarySymlinks, runningPostmaster } from "./embedded-postgres";
import { experiments } from "./schema";

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "studio-embedded-pg-"));
  // mkdtemp makes it 0700; run as root, the postmaster runs as 'postgres' and must reach its cluster inside.
  await chmod(dataDir, 0o755);
});

afterAll(async () => {
  const left = runningPostmaster(embeddedPostgresPaths(dataDir).cluster);
  if (left) process.kill(left.pid, "SIGQUIT");
  await rm(dataDir, { recursive: true, force: true });
});

async function writeExperiment(url: string, name: string): Promise<void> {
  const handle = await openDatabase({ url });
  try {
    await handle.db.insert(experiments).values({ name, artifactLocation: `file:///${name}`, creationTime: 1, lastUpdateTime: 1 });
  } finally {
    await handle.close();
  }
}

async function experimentNames(url: string): Promise<string[]> {
  const handle = await openDatabase({ url });
  try {
    const rows = await handle.db.select({ name: experiments.name }).from(experiments).where(eq(experiments.lifecycleStage, "active"));
    return rows.map((row) => row.name).sort();
  } finally {
    await handle.close();
  }
}

/** A separate studio process owning the folder's postmaster, as `npm start` would. */
async function startStudioProcess(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "embedded-postgres-child.ts"), dataDir], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const newline = output.indexOf("\n");
      if (newline >= 0) resolve(output.slice(0, newline));
    });
    child.once("exit", (code) => reject(new Error(`the studio process exited (${code}):\n${output}`)));
  });
  const started = JSON.parse(line) as { port: number; owner: boolean };
  expect(started.owner).toBe(true);
  return { child, port: started.port };
}

async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

describe("embedded PostgreSQL", () => {
  it("keeps what was written across a stop and a start, with its password file readable by the owner only", async () => {
    const first = await ensureEmbeddedPostgres(dataDir);
    expect(first.owner).toBe(true);
    await writeExperiment(first.url, "before-stop");
    const postmaster = runningPostmaster(embeddedPostgresPaths(dataDir).cluster);
    expect(postmaster?.port).toBe(first.port);
    await first.stop();
    expect(processAlive(postmaster!.pid)).toBe(false);
    expect(runningPostmaster(embeddedPostgresPaths(dataDir).cluster)).toBeNull();

    const second = await ensureEmbeddedPostgres(dataDir);
    expect(await experimentNames(second.url)).toContain("before-stop");
    await second.stop();

    const passwordFile = embeddedPostgresPaths(dataDir).password;
    expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
    const password = readFileSync(passwordFile, "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(readFileSync(embeddedPostgresPaths(dataDir).log, "utf8")).not.toContain(password);
  });

  it("attaches to the postmaster of another live studio process, and adopts it once that process is killed -9", async () => {
    const studio = await startStudioProcess();
    const attached = await ensureEmbeddedPostgres(dataDir);
    expect(attached).toMatchObject({ owner: false, port: studio.port });
    await writeExperiment(attached.url, "while-shared");
    await attached.stop(); // not the owner: the postmaster keeps running for the other process
    const postmaster = runningPostmaster(embeddedPostgresPaths(dataDir).cluster);
    expect(postmaster?.port).toBe(studio.port);

    await killHard(studio.child);
    expect(processAlive(postmaster!.pid)).toBe(true); // orphaned, still on the folder

    const adopted = await ensureEmbeddedPostgres(dataDir);
    expect(adopted).toMatchObject({ owner: true, port: studio.port });
    expect(await experimentNames(adopted.url)).toEqual(expect.arrayContaining(["before-stop", "while-shared"]));
    await adopted.stop();
    expect(processAlive(postmaster!.pid)).toBe(false);
  });

  it("starts again after the studio and its postmaster were both killed -9 (stale postmaster.pid)", async () => {
    const studio = await startStudioProcess();
    const postmaster = runningPostmaster(embeddedPostgresPaths(dataDir).cluster)!;
    await writeExperiment(`postgres://postgres:${encodeURIComponent(readFileSync(embeddedPostgresPaths(dataDir).password, "utf8").trim())}@127.0.0.1:${studio.port}/postgres`, "before-crash");
    process.kill(postmaster.pid, "SIGKILL");
    await killHard(studio.child);

    const restarted = await ensureEmbeddedPostgres(dataDir);
    expect(restarted.owner).toBe(true);
    expect(await experimentNames(restarted.url)).toEqual(expect.arrayContaining(["before-stop", "while-shared", "before-crash"]));
    await restarted.stop();
  });
});

describe("which embedded database a data folder uses", () => {
  it("is PostgreSQL for a new folder, PGlite (said on the console) for a folder an earlier version filled with PGlite, and what STUDIO_DATABASE says", async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), "studio-choice-"));
    try {
      expect(chooseEmbeddedDatabase(folder, undefined)).toEqual({ kind: "postgres" });
      await mkdir(path.join(folder, "pgdata"));
      const kept = chooseEmbeddedDatabase(folder, undefined);
      expect(kept.kind).toBe("pglite");
      expect(kept.notice).toMatch(/PGlite database from an earlier version.*STUDIO_DATABASE=postgres/);
      expect(chooseEmbeddedDatabase(folder, "postgres")).toEqual({ kind: "postgres" });
      await mkdir(path.join(folder, "postgres"));
      expect(chooseEmbeddedDatabase(folder, undefined)).toEqual({ kind: "postgres" });
      expect(chooseEmbeddedDatabase(folder, "pglite")).toEqual({ kind: "pglite" });
      expect(() => chooseEmbeddedDatabase(folder, "sqlite")).toThrow(/STUDIO_DATABASE must be 'postgres'.*got 'sqlite'/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe("the binaries package's library links", () => {
  it("are made at first use when install scripts did not run (the project installs with ignore-scripts), and left alone once there", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "studio-pg-links-"));
    try {
      await mkdir(path.join(root, "native", "lib"), { recursive: true });
      await writeFile(path.join(root, "native", "lib", "libpq.so.5.18"), "library");
      const links = [
        { source: "native/lib/libpq.so.5.18", target: "native/lib/libpq.so.5" },
        { source: "native/lib/libpq.so.5.18", target: "native/lib/libpq.so" },
      ];
      await writeFile(path.join(root, "native", "pg-symlinks.json"), JSON.stringify(links));
      restoreLibrarySymlinks(root);
      for (const { target } of links) {
        expect(await readlink(path.join(root, target))).toBe("libpq.so.5.18");
        expect(readFileSync(path.join(root, target), "utf8")).toBe("library");
      }
      // A second call (another process starting) changes nothing and does not throw.
      restoreLibrarySymlinks(root);
      expect(await readlink(path.join(root, "native/lib/libpq.so"))).toBe("libpq.so.5.18");
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
