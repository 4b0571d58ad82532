// Backend CPU of log-batch's insert and of bare INSERTs of the same points, per 1,000-point batch, each on its own
// connection to a throwaway embedded PostgreSQL 18 (read from /proc/<pid>/schedstat, so a busy machine inflates waits
// but not these times), variants interleaved in every round on fresh runs. "studio all-new statement (unnamed)" is the
// statement as sent before issue 18's i18-ingest third pass (text literals, planned for every batch: a stand-in
// executor keeps it off the prepared path); "NEW" variants run on a one-connection node-postgres pool as the studio does.
// Also the wall time per batch (one caller: each commit waits for its own WAL flush) and the WAL bytes written per batch.
// Usage: npx tsx bench/log-batch-statement-cpu.ts   (BENCH_BATCHES per run and variant, BENCH_ROUNDS, VARIANTS=a|b)
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { Client, Pool } from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { openDatabase, type Database } from "@/db/client";
import { ensureEmbeddedPostgres } from "@/db/embedded-postgres";
import { ensureDefaultExperiment } from "@/server/tracking/experiments";
import { numberArrayLiteral, textArrayLiteral } from "@/server/tracking/array-literal";
import { insertMetricPoints } from "@/server/tracking/metric-rollups";
import { latestPointPerKey } from "@/lib/latest-metric-points";
import { batchPoints } from "./mlflow-load";

const BATCHES = Number(process.env.BENCH_BATCHES ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RUNS = 4;
const dialect = new PgDialect();

const cpuNs = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]);
const nodeMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function pointArrays(batch: number) {
  const m = batchPoints(batch, 1000);
  return { keys: m.map((p) => p.key), steps: m.map((p) => p.step), timestamps: m.map((p) => p.timestamp), values: m.map((p) => p.value) };
}

function header(n: number, oid: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  buf.writeInt32BE(1, 0);
  buf.writeInt32BE(0, 4);
  buf.writeInt32BE(oid, 8);
  buf.writeInt32BE(n, 12);
  buf.writeInt32BE(1, 16);
  return buf;
}
function float8Binary(values: readonly number[]): Buffer {
  const buf = header(values.length, 701, 20 + 12 * values.length);
  let o = 20;
  for (const v of values) {
    buf.writeInt32BE(8, o);
    buf.writeDoubleBE(v, o + 4);
    o += 12;
  }
  return buf;
}
function int8Binary(values: readonly number[]): Buffer {
  const buf = header(values.length, 20, 20 + 12 * values.length);
  let o = 20;
  for (const v of values) {
    const hi = Math.floor(v / 4294967296);
    buf.writeInt32BE(8, o);
    buf.writeInt32BE(hi, o + 4);
    buf.writeUInt32BE(v - hi * 4294967296, o + 8);
    o += 12;
  }
  return buf;
}
function textBinary(values: readonly string[]): Buffer {
  const encoded = new Map<string, Buffer>();
  let size = 20;
  const parts = values.map((v) => {
    let b = encoded.get(v);
    if (!b) encoded.set(v, (b = Buffer.from(v, "utf8")));
    size += 4 + b.length;
    return b;
  });
  const buf = header(values.length, 25, size);
  let o = 20;
  for (const b of parts) {
    buf.writeInt32BE(b.length, o);
    b.copy(buf, o + 4);
    o += 4 + b.length;
  }
  return buf;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "studio-scratch-"));
  await chmod(dir, 0o755);
  const server = await ensureEmbeddedPostgres(dir);
  const handle = await openDatabase({ url: server.url });
  await ensureDefaultExperiment(handle.db as Database);
  const client = new Client({ connectionString: server.url });
  await client.connect();
  const { rows: [{ pid }] } = await client.query("select pg_backend_pid() as pid");
  const pool = new Pool({ connectionString: server.url, max: 1, idleTimeoutMillis: 600_000 });
  const poolDb = drizzle(pool) as unknown as Database;
  const { rows: [{ pid: poolPid }] } = await pool.query("select pg_backend_pid() as pid");
  const run = async (query: SQL, name?: string) => {
    const { sql: text, params } = dialect.sqlToQuery(query);
    return client.query({ text, values: params, ...(name ? { name } : {}) });
  };
  const execDb = { execute: (q: SQL) => run(q) } as unknown as Database;
  const names = new Map<string, string>();
  const execNamed = {
    execute: (q: SQL) => {
      const { sql: text, params } = dialect.sqlToQuery(q);
      let name = names.get(text);
      if (!name) names.set(text, (name = `s${names.size}`));
      return client.query({ text, values: params, name });
    },
  } as unknown as Database;
  const newRuns = async () => {
    const ids = Array.from({ length: RUNS }, () => randomBytes(16).toString("hex"));
    await run(sql`insert into runs (run_uuid, experiment_id, name, user_id, status, start_time, artifact_uri, lifecycle_stage)
      select id, 0, id, 'bench', 'RUNNING', 1, 'bench', 'active' from unnest(${sql.param(ids)}::text[]) as u(id)`);
    return ids;
  };
  type P = ReturnType<typeof pointArrays>;
  const latestCte = (runId: string, p: P) => {
    const l = latestPointPerKey(p);
    return sql`, latest as (
      insert into latest_metrics (run_uuid, key, step, timestamp, value)
      select ${runId}, k, s, t, v
      from unnest(${textArrayLiteral(l.keys)}::text[], ${numberArrayLiteral(l.steps)}::int8[], ${numberArrayLiteral(l.timestamps)}::int8[], ${numberArrayLiteral(l.values)}::float8[]) as u(k, s, t, v)
      where (select lifecycle_stage from run) = 'active'
      order by k
      on conflict (run_uuid, key) do update set step = excluded.step, timestamp = excluded.timestamp, value = excluded.value
        where (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value))`;
  };
  const variants: Record<string, (runId: string, p: P) => Promise<unknown>> = {
    "bare, sql.param arrays": (runId, p) => run(sql`insert into metrics (run_uuid, key, step, timestamp, value)
      select ${runId}, k, s, t, v from unnest(${sql.param(p.keys)}::text[], ${sql.param(p.steps)}::int8[], ${sql.param(p.timestamps)}::int8[], ${sql.param(p.values)}::float8[]) as u(k, s, t, v)`),
    "bare, literals": (runId, p) => run(sql`insert into metrics (run_uuid, key, step, timestamp, value)
      select ${runId}, k, s, t, v from unnest(${textArrayLiteral(p.keys)}::text[], ${numberArrayLiteral(p.steps)}::int8[], ${numberArrayLiteral(p.timestamps)}::int8[], ${numberArrayLiteral(p.values)}::float8[]) as u(k, s, t, v)`),
    "bare, binary arrays": (runId, p) => run(sql`insert into metrics (run_uuid, key, step, timestamp, value)
      select ${runId}, k, s, t, v from unnest(${textBinary(p.keys)}::text[], ${int8Binary(p.steps)}::int8[], ${int8Binary(p.timestamps)}::int8[], ${float8Binary(p.values)}::float8[]) as u(k, s, t, v)`),
    "bare, binary arrays, sorted": (runId, p) => run(sql`insert into metrics (run_uuid, key, step, timestamp, value)
      select ${runId}, k, s, t, v from unnest(${textBinary(p.keys)}::text[], ${int8Binary(p.steps)}::int8[], ${int8Binary(p.timestamps)}::int8[], ${float8Binary(p.values)}::float8[]) as u(k, s, t, v) order by k, s, t, v`),
    "bare + run check + xid (literals)": (runId, p) => run(sql`with run as (select lifecycle_stage, experiment_id from runs where run_uuid = ${runId}),
      inserted as (insert into metrics (run_uuid, key, step, timestamp, value)
      select ${runId}, k, s, t, v from unnest(${textArrayLiteral(p.keys)}::text[], ${numberArrayLiteral(p.steps)}::int8[], ${numberArrayLiteral(p.timestamps)}::int8[], ${numberArrayLiteral(p.values)}::float8[]) as u(k, s, t, v)
      where (select lifecycle_stage from run) = 'active' order by k, s, t, v)
      select (select lifecycle_stage from run), pg_current_xact_id()::text`),
    "+ latest (literals)": (runId, p) => run(sql`with run as (select lifecycle_stage, experiment_id from runs where run_uuid = ${runId}),
      inserted as (insert into metrics (run_uuid, key, step, timestamp, value)
      select ${runId}, k, s, t, v from unnest(${textArrayLiteral(p.keys)}::text[], ${numberArrayLiteral(p.steps)}::int8[], ${numberArrayLiteral(p.timestamps)}::int8[], ${numberArrayLiteral(p.values)}::float8[]) as u(k, s, t, v)
      where (select lifecycle_stage from run) = 'active' order by k, s, t, v) ${latestCte(runId, p)}
      select (select lifecycle_stage from run), pg_current_xact_id()::text`),
    "studio all-new statement (unnamed)": (runId, p) => insertMetricPoints(execDb, runId, p, true),
    "studio all-new statement (named)": (runId, p) => insertMetricPoints(execNamed, runId, p, true),
    "NEW: studio on a pool (named, binary)": (runId, p) => insertMetricPoints(poolDb, runId, p, true),
    "NEW: no rollups (named, binary)": async (runId, p) => {
      const { sql: text, params } = dialect.sqlToQuery(sql`with run as (select lifecycle_stage, experiment_id from runs where run_uuid = ${runId}),
      inserted as (insert into metrics (run_uuid, key, step, timestamp, value)
      select ${runId}, k, s, t, v from unnest(${textBinary(p.keys)}::text[], ${int8Binary(p.steps)}::int8[], ${int8Binary(p.timestamps)}::int8[], ${float8Binary(p.values)}::float8[]) as u(k, s, t, v)
      where (select lifecycle_stage from run) = 'active' order by k, s, t, v) ${latestCte(runId, p)}
      select (select lifecycle_stage from run), pg_current_xact_id()::text`);
      return pool.query({ text, values: params, name: "norollups" });
    },
    "NEW: bare (named, binary)": async (runId, p) => {
      const { sql: text, params } = dialect.sqlToQuery(sql`insert into metrics (run_uuid, key, step, timestamp, value)
      select ${runId}, k, s, t, v from unnest(${textBinary(p.keys)}::text[], ${int8Binary(p.steps)}::int8[], ${int8Binary(p.timestamps)}::int8[], ${float8Binary(p.values)}::float8[]) as u(k, s, t, v)`);
      return pool.query({ text, values: params, name: "bare" });
    },
  };
  const only = process.env.VARIANTS?.split("|");
  const rows: Record<string, { db: number[]; node: number[]; wal: number[]; wall: number[] }> = {};
  // WAL bytes the cluster wrote meanwhile (every variant runs alone, so they are its own): what each commit must
  // flush, and what the WAL writer and checkpointer pay beyond the backend's CPU.
  const walLsn = async () => (await client.query<{ lsn: string }>("select pg_current_wal_insert_lsn()::text as lsn")).rows[0].lsn;
  const walBytes = async (from: string) => Number((await client.query<{ d: string }>("select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1::pg_lsn)::text as d", [from])).rows[0].d);
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [name, write] of Object.entries(variants)) {
      if (only && !only.includes(name)) continue;
      const runIds = await newRuns();
      const backend = name.startsWith("NEW") ? poolPid : pid;
      const lsn0 = await walLsn();
      const c0 = cpuNs(backend);
      const n0 = nodeMs();
      const w0 = performance.now();
      for (let b = 0; b < BATCHES; b++) for (const runId of runIds) await write(runId, pointArrays(b));
      const wall = (performance.now() - w0) / (BATCHES * RUNS);
      const dbMs = (cpuNs(backend) - c0) / 1e6 / (BATCHES * RUNS);
      const node = (nodeMs() - n0) / (BATCHES * RUNS);
      const wal = (await walBytes(lsn0)) / 1024 / (BATCHES * RUNS);
      if (round === 0) continue;
      (rows[name] ??= { db: [], node: [], wal: [], wall: [] }).db.push(dbMs);
      rows[name].node.push(node);
      rows[name].wal.push(wal);
      rows[name].wall.push(wall);
    }
  }
  console.log(`backend CPU / Node CPU / wall per batch, ms; WAL KiB per batch; load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  const fmt = (xs: number[]) => xs.map((m) => m.toFixed(2).padStart(6)).join(" ");
  for (const [name, r] of Object.entries(rows)) console.log(`${name.padEnd(40)} db ${fmt(r.db)}   node ${fmt(r.node)}   wall ${fmt(r.wall)}   WAL ${fmt(r.wal)}`);
  await client.end();
  await pool.end();
  await handle.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
