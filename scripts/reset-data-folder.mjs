// `node scripts/reset-data-folder.mjs <folder>`: removes a studio data folder (the journeys start from a fresh one),
// first stopping an embedded PostgreSQL a killed run left running on it: removing the files under a live
// postmaster would leave it running, holding its port, until the machine restarts.
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";

const folder = process.argv[2];
if (!folder) {
  console.error("usage: node scripts/reset-data-folder.mjs <data folder>");
  process.exit(2);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
  } catch {
    return true;
  }
}

function isPostgres(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("postgres");
  } catch {
    return true; // no /proc: the pid file is all we know
  }
}

let pid = 0;
try {
  pid = Number(readFileSync(path.join(folder, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
} catch {
  // no cluster, or no postmaster: nothing to stop
}
if (pid > 0 && alive(pid) && isPostgres(pid)) {
  process.kill(pid, "SIGINT"); // fast shutdown
  const deadline = Date.now() + 15_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (alive(pid)) process.kill(pid, "SIGQUIT");
}
rmSync(folder, { recursive: true, force: true });
