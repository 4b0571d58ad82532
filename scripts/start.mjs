// `npm start`: builds the production bundle when it is missing or stale, then serves it on PORT (default 3000).
import { spawnSync } from "node:child_process";
import { existsSync, statSync, readdirSync } from "node:fs";
import path from "node:path";

const root = process.cwd();
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
const server = spawnSync(process.execPath, [path.join(root, "scripts", "server.mjs"), "-p", process.env.PORT ?? "3000"], { stdio: "inherit" });
process.exit(server.status ?? 0);
