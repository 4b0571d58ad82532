// `npm start`: builds the production bundle when it is missing or stale, then serves it on PORT (default 3000).
// The server runs in this process (not a child), so the signals `npm start` gets (Ctrl-C, SIGTERM) reach the
// studio itself, and through it the embedded PostgreSQL it started (db/embedded-postgres.ts stops it).
import { spawnSync } from "node:child_process";
import { existsSync, statSync, readdirSync } from "node:fs";
import path from "node:path";

const root = process.cwd();
// Only the studio's own lines on the console: no telemetry notice from Next.js's build or server.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const buildId = path.join(root, ".next", "BUILD_ID");

function newestSourceTime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

const sources = ["app", "components", "server", "db", "lib"].filter((d) => existsSync(path.join(root, d)));
const stale = !existsSync(buildId) || sources.some((d) => newestSourceTime(path.join(root, d)) > statSync(buildId).mtimeMs);
if (stale) {
  console.log("[studio] building the production bundle (first start or sources changed)…");
  const build = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
// scripts/server.mjs: Next.js's handler behind the one check Next.js cannot make (undecodable request paths).
// As `next start` does: a custom server must say it runs the production build before Next.js loads.
process.env.NODE_ENV = "production";
const { startServer } = await import("./server.mjs");
await startServer({ port: Number(process.env.PORT ?? 3000), hostname: process.env.HOSTNAME || undefined });
