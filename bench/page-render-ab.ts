// An interleaved A/B of one page's server render on two or more trees' production builds: each tree's studio
// (scripts/server.mjs, embedded PostgreSQL, demo seed) is started side by side, signed in as admin, and the page is
// fetched in turn from each (order reversed every round): time to first byte, to the last byte, and the server's
// CPU with its database's (its process tree's /proc ticks, 10 ms each) per render. The first render of a fresh server
// is reported apart from the later ones.
// N=16 PAGE=/models/breast-cancer-rf/versions/1/playground npx tsx bench/page-render-ab.ts /path/to/main /path/to/branch
import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm, readFile, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import playwrightConfig from "../playwright.config";
import { freePort, signIn } from "./studio-server";

const trees = process.argv.slice(2);
const N = Number(process.env.N ?? 15);
const PAGE = process.env.PAGE ?? "/models/breast-cancer-rf/versions/1/playground";
async function treePids(root: number): Promise<number[]> {
  const parent = new Map<number, number>();
  for (const d of (await readdir("/proc")).filter((d) => /^\d+$/.test(d))) { try { const s = (await readFile(`/proc/${d}/stat`, "utf8")).split(") ")[1]!.split(" "); parent.set(Number(d), Number(s[1])); } catch {} }
  const out = [root];
  for (let changed = true; changed;) { changed = false; for (const [p, pp] of parent) if (out.includes(pp) && !out.includes(p)) { out.push(p); changed = true; } }
  return out;
}
async function cpuMs(root: number): Promise<number> {
  let t = 0;
  for (const pid of await treePids(root)) { try { const s = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]!.split(" "); t += Number(s[11]) + Number(s[12]) + Number(s[13]) + Number(s[14]); } catch {} }
  return t * 10;
}
const studios: { tree: string; base: string; pid: number; cookie: string; dir: string; stop(): Promise<void> }[] = [];
try {
  for (const tree of trees) {
    const dir = await mkdtemp(path.join(os.tmpdir(), "i18fv-ab-"));
    await chmod(dir, 0o755);
    const port = await freePort();
    const child = spawn(process.execPath, ["scripts/server.mjs", "-p", String(port)], { cwd: tree, detached: true, stdio: "ignore", env: { ...process.env, DATABASE_URL: "", STUDIO_DATA_DIR: dir, STUDIO_ADMIN_PASSWORD: "bench-compare-admin-0001", STUDIO_SEED: "demo", NODE_ENV: "production", HOSTNAME: "127.0.0.1" } });
    const base = `http://127.0.0.1:${port}`;
    const stop = async () => { if (child.exitCode === null) { const exited = new Promise((ok) => child.once("exit", ok)); process.kill(-child.pid!, "SIGTERM"); await Promise.race([exited, new Promise((ok) => setTimeout(ok, 15_000))]); } await rm(dir, { recursive: true, force: true }); };
    studios.push({ tree, base, pid: child.pid!, cookie: "", dir, stop });
    for (let i = 0; ; i++) { if (await fetch(`${base}/sign-in`).then((r) => r.ok, () => false)) break; if (i > 300) throw new Error(`${tree} did not start`); await new Promise((ok) => setTimeout(ok, 500)); }
    const profile = await mkdtemp(path.join(os.tmpdir(), "i18fv-chr-"));
    const ctx = await chromium.launchPersistentContext(profile, { ...(playwrightConfig.use?.launchOptions ?? {}), headless: true });
    await signIn(ctx.pages()[0] ?? (await ctx.newPage()), base);
    studios.at(-1)!.cookie = (await ctx.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    await ctx.close();
    await rm(profile, { recursive: true, force: true });
  }
  await new Promise((ok) => setTimeout(ok, 3000));
  const results = new Map<string, { ttfb: number[]; end: number[]; cpu: number[] }>(trees.map((t) => [t, { ttfb: [], end: [], cpu: [] }]));
  for (let i = 0; i < N; i++) {
    for (const s of i % 2 ? [...studios].reverse() : studios) {
      const cpu0 = await cpuMs(s.pid);
      const t0 = performance.now();
      const res = await fetch(`${s.base}${PAGE}`, { headers: { cookie: s.cookie, "accept-encoding": "gzip" } });
      const reader = res.body!.getReader();
      await reader.read();
      const ttfb = performance.now() - t0;
      for (;;) if ((await reader.read()).done) break;
      const end = performance.now() - t0;
      await new Promise((ok) => setTimeout(ok, 400));
      const cpu = (await cpuMs(s.pid)) - cpu0;
      if (res.status !== 200) throw new Error(`${s.tree}: ${res.status}`);
      const r = results.get(s.tree)!;
      r.ttfb.push(ttfb); r.end.push(end); r.cpu.push(cpu);
    }
  }
  const med = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
  for (const [tree, r] of results) {
    const first = { ttfb: r.ttfb[0]!, cpu: r.cpu[0]! };
    const warm = { ttfb: r.ttfb.slice(1), end: r.end.slice(1), cpu: r.cpu.slice(1) };
    console.log(`${tree}: first render ttfb ${first.ttfb.toFixed(0)} ms cpu ${first.cpu} ms; later ${warm.ttfb.length}: ttfb median ${med(warm.ttfb).toFixed(1)} ms, end median ${med(warm.end).toFixed(1)} ms, server+db CPU median ${med(warm.cpu)} ms, mean ${(warm.cpu.reduce((a, b) => a + b, 0) / warm.cpu.length).toFixed(0)} ms; ttfbs ${r.ttfb.map((v) => v.toFixed(0)).join(" ")}`);
  }
} finally {
  for (const s of studios) await s.stop();
}
