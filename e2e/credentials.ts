// Where the journeys find the studio under test and how they sign in to it.
// Each Playwright worker has a studio server of its own (its own data folder and PostgreSQL), so journeys that change
// the demo data (a user's language, the model in production, experiments made and deleted) never race another worker.
import { statSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** E2E_PORT lets two checkouts on one machine run their journeys side by side: server i listens on E2E_PORT + i. */
export const E2E_FIRST_PORT = Number(process.env.E2E_PORT ?? 3100);
/**
 * E2E_WORKERS: how many journeys run at once, each worker against its own server. 1 by default: on this two-core
 * machine, under other helpers' load (8-19), the same 19 journeys took 482 s with one worker and 503 s with two, and
 * journeys with a 60 s timeout ran out of it with two workers at load 14-24; a quiet CI machine is not measured yet.
 */
export const E2E_WORKERS = Math.max(1, Number(process.env.E2E_WORKERS ?? 1) || 1);
/**
 * Which server this process talks to. Playwright sets TEST_PARALLEL_INDEX (0 … workers-1) in each worker process
 * before it loads the config and the journeys, so `use.baseURL` and the helpers below agree on the worker's own
 * server; a worker that replaces a failed one gets the same index. The runner process itself has none: server 0.
 */
export const E2E_SERVER_INDEX = Number(process.env.TEST_PARALLEL_INDEX ?? 0);
export const e2ePort = (serverIndex: number) => E2E_FIRST_PORT + serverIndex;
export const e2eBaseUrl = (serverIndex: number) => `http://127.0.0.1:${e2ePort(serverIndex)}`;
export const E2E_PORT = e2ePort(E2E_SERVER_INDEX);

/** True when every folder from / down to `dir` lets other accounts through (o+x). */
function searchableByOthers(dir: string): boolean {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return false;
    if (path.dirname(current) === current) return true;
  }
}

/**
 * Server i's data folder: .studio-e2e-<i> in the checkout, unless the checkout sits in a private folder (a clone
 * under /root) and we run as root — the embedded PostgreSQL then runs as 'postgres' and could not reach it, so
 * the folder goes to the temp directory instead. The config starts each server on it; bulk seeds (e2e/bulk-seed.ts)
 * find the server's database there.
 */
export const e2eDataDir = (serverIndex: number) =>
  process.getuid?.() === 0 && !searchableByOthers(process.cwd()) ? path.join(os.tmpdir(), `modelops-studio-e2e-${e2ePort(serverIndex)}`) : `.studio-e2e-${serverIndex}`;
export const E2E_BASE_URL = e2eBaseUrl(E2E_SERVER_INDEX);
/** The first admin's password, given to the fresh studio through STUDIO_ADMIN_PASSWORD (10+ characters). */
export const E2E_ADMIN_USERNAME = "admin";
export const E2E_ADMIN_PASSWORD = "e2e-admin-password-0417";
/**
 * The signed-in browser state the sign-in setup writes for server i, and the one this worker's journeys start from
 * (test-results/ is ignored by git). Cookies ignore ports, so each server's session has its own file.
 */
export const e2eStorageState = (serverIndex: number) => `test-results/.auth/admin-${serverIndex}.json`;
export const E2E_STORAGE_STATE = e2eStorageState(E2E_SERVER_INDEX);
/** Password of the demo users (alice/editor, bob/reviewer, victor/viewer), given through STUDIO_DEMO_PASSWORD. */
export const E2E_DEMO_PASSWORD = "e2e-demo-password-0417";
