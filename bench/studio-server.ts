// The production server (`next start`) for the browser benchmarks: a free port, its own data folder, signed in as admin.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Page } from "@playwright/test";
import { freePort } from "@/db/embedded-postgres";

export { freePort };

const ADMIN_PASSWORD = "bench-compare-admin-0001";

async function waitForServer(baseUrl: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}:\n${log()}`);
    const answered = await fetch(`${baseUrl}/sign-in`).then((r) => r.ok, () => false);
    if (answered) return;
    await new Promise((ok) => setTimeout(ok, 500));
  }
  throw new Error(`next start did not answer within 120 s:\n${log()}`);
}

/** The production server on the bench database; its own process group, so stopping it stops its workers too. */
export async function startStudio(options: {
  databaseUrl: string;
  dataDir: string;
  seed: boolean;
  /** Extra environment, e.g. STUDIO_DATABASE=pglite for a PGlite data folder (with databaseUrl ""). */
  env?: Record<string, string>;
  /** "next start" (default), or scripts/server.mjs, what `npm start` runs: Next.js behind the studio's own handlers. */
  server?: "next start" | "scripts/server.mjs";
}): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const { databaseUrl, dataDir } = options;
  const port = await freePort();
  const args =
    options.server === "scripts/server.mjs"
      ? [path.join("scripts", "server.mjs"), "-p", String(port)]
      : [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"];
  const server = spawn(process.execPath, args, {
    env: { ...process.env, DATABASE_URL: databaseUrl, STUDIO_DATA_DIR: dataDir, STUDIO_ADMIN_PASSWORD: ADMIN_PASSWORD, STUDIO_SEED: options.seed ? "demo" : "none", NODE_ENV: "production", ...(options.server === "scripts/server.mjs" ? { HOSTNAME: "127.0.0.1" } : {}), ...options.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  server.stderr?.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const stop = async () => {
    if (server.exitCode !== null || server.pid === undefined) return;
    const exited = new Promise((ok) => server.once("exit", ok));
    process.kill(-server.pid, "SIGTERM");
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, 10_000))]);
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(baseUrl, server, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}

export async function signIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in?next=%2Fexperiments`);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/experiments$/, { timeout: 30_000 });
}

