// PostgreSQL backend CPU per logged request of the inference log's insert, by statement form and table shape: the
// writer thread's COPY against the jsonb_to_recordset INSERT it replaced, and COPY into tables without the foreign
// keys, without the request_id index, or with json/text in place of jsonb (what a schema change could save).
// Rows as the writer thread writes them (30 breast-cancer features as float32, batch 1), BENCH_CHUNK per statement
// (default 100), each variant on its own connection to a throwaway database, backend CPU read from
// /proc/<backend pid>/schedstat, variants interleaved round by round; median and minimum of the rounds.
// Usage: BENCH_DATABASE_URL=postgres://… npx tsx bench/inference-log-insert-cpu.ts   (BENCH_BATCHES, BENCH_ROUNDS, BENCH_CHUNK)
import { readFileSync } from "node:fs";
import pg from "pg";

const BATCHES = Number(process.env.BENCH_BATCHES ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 100);
const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const dbName = `i18s5_exp_${process.pid}`;

const csv = readFileSync("fixtures/datasets/breast_cancer.test.csv", "utf8").trim().split("\n");
const header = csv[0]!.split(",").slice(0, 30);
const data = csv.slice(1).map((l) => l.split(",").slice(0, 30).map((v) => Math.fround(Number(v))));

function jsonRow(i: number) {
  const values = data[i % data.length]!;
  const inputs = "{" + header.map((k, c) => `${JSON.stringify(k)}:[${String(values[c])}]`).join(",") + "}";
  return { modelId: 1, versionId: 1, requestId: `req-${i}-${Math.random().toString(36).slice(2, 14)}`, at: Date.now(), latency: Math.random(), inputs, predictions: `[${i % 2}]` };
}
type Row = ReturnType<typeof jsonRow>;
const recordset = (rows: Row[]) =>
  "[" + rows.map((r) => `{"model_id":${r.modelId},"version_id":${r.versionId},"request_id":${JSON.stringify(r.requestId)},"at":${r.at},"latency_ms":${r.latency},"row_count":1,"inputs":${r.inputs},"predictions":${r.predictions},"protocol":"v2"}`).join(",") + "]";
const COLUMNS = "(model_id, version_id, request_id, at, latency_ms, row_count, inputs, predictions, protocol)";
const copyText = (rows: Row[]) =>
  rows.map((r) => `${r.modelId}\t${r.versionId}\t${r.requestId}\t${r.at}\t${r.latency}\t1\t${r.inputs}\t${r.predictions}\tv2\n`).join("");

/** "both": a foreign key on model_id and one on version_id (before migration 0033); "pair": one on the pair. */
type ForeignKeys = "both" | "pair" | "none";
const ddl = (name: string, fks: ForeignKeys, requestIndex: boolean, docType = "jsonb") => `
create table ${name} (
  log_id bigserial primary key,
  model_id bigint not null ${fks === "both" ? "references registered_models(model_id) on delete cascade" : ""},
  version_id bigint not null ${fks === "both" ? "references model_versions(version_id) on delete cascade" : ""},
  request_id text not null, at bigint not null, latency_ms double precision not null, row_count integer not null,
  inputs ${docType} not null, predictions ${docType} not null, protocol text not null, route text not null default 'production');
${fks === "pair" ? `alter table ${name} add foreign key (model_id, version_id) references model_versions(model_id, version_id) on delete cascade;` : ""}
create index on ${name} (model_id, at);
${requestIndex ? `create index on ${name} (request_id);` : ""}`;

const INSERT = (t: string) => `insert into ${t} (model_id, version_id, request_id, at, latency_ms, row_count, inputs, predictions, protocol, route)
  select model_id, version_id, request_id, at, latency_ms, row_count, inputs, predictions, protocol, coalesce(route, 'production')
  from jsonb_to_recordset($1::jsonb) as x(model_id bigint, version_id bigint, request_id text, at bigint, latency_ms double precision,
    row_count integer, inputs jsonb, predictions jsonb, protocol text, route text)`;

/** COPY … FROM STDIN as a node-postgres submittable (as server/monitoring/inference-log-worker.mjs writes the log). */
class CopyIn {
  callback: ((error: Error | null) => void) | null = null;
  private settled = false;
  constructor(
    private text: string,
    private payload: string,
  ) {}
  submit(connection: { query(text: string): void }) {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void }) {
    connection.sendCopyFromChunk(Buffer.from(this.payload));
    connection.endCopyFrom();
  }
  handleError(error: Error) {
    this.settle(error);
  }
  handleReadyForQuery() {
    this.settle(null);
  }
  private settle(error: Error | null) {
    if (this.settled) return;
    this.settled = true;
    this.callback?.(error);
  }
  handleCommandComplete() {}
  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
  handleCopyData() {}
}
const copy = (client: pg.Client, text: string, payload: string) =>
  new Promise<void>((resolve, reject) => {
    const query = new CopyIn(text, payload);
    query.callback = (error) => (error ? reject(error) : resolve());
    client.query(query as unknown as pg.QueryConfig);
  });

const cpuNs = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]);

async function main() {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const dbUrl = url.replace(/\/[^/]*$/, `/${dbName}`);
  const setup = new pg.Client({ connectionString: dbUrl });
  await setup.connect();
  await setup.query(`create table registered_models (model_id bigserial primary key); create table model_versions (version_id bigserial primary key, model_id bigint not null references registered_models(model_id) on delete cascade, unique (model_id, version_id));
    insert into registered_models default values; insert into model_versions (model_id) values (1);`);
  await setup.query(ddl("log_full", "both", true) + ddl("log_pair", "pair", true) + ddl("log_nofk", "none", true) + ddl("log_noreq", "both", false) + ddl("log_bare", "none", false) + ddl("log_json", "both", true, "json") + ddl("log_text", "both", true, "text"));
  const copyInto = (table: string) => (c: pg.Client, rows: Row[]) => copy(c, `copy ${table} ${COLUMNS} from stdin`, copyText(rows));
  const variants: { name: string; run: (c: pg.Client, rows: Row[]) => Promise<unknown> }[] = [
    { name: "INSERT … jsonb_to_recordset (before)", run: (c, rows) => c.query(INSERT("log_full"), [recordset(rows)]) },
    { name: "COPY (now)", run: copyInto("log_full") },
    { name: "COPY, one foreign key on the pair", run: copyInto("log_pair") },
    { name: "COPY, no foreign keys", run: copyInto("log_nofk") },
    { name: "COPY, no request_id index", run: copyInto("log_noreq") },
    { name: "COPY, neither", run: copyInto("log_bare") },
    { name: "COPY, json instead of jsonb", run: copyInto("log_json") },
    { name: "COPY, text instead of jsonb (no parse)", run: copyInto("log_text") },
  ];
  const clients = await Promise.all(variants.map(async () => {
    const c = new pg.Client({ connectionString: dbUrl, options: "-c synchronous_commit=off" });
    await c.connect();
    const pid = Number((await c.query("select pg_backend_pid() as pid")).rows[0].pid);
    return { c, pid };
  }));
  const results = variants.map(() => [] as number[]);
  let n = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (let v = 0; v < variants.length; v++) {
      const { c, pid } = clients[v]!;
      const batches = Array.from({ length: BATCHES }, () => Array.from({ length: CHUNK }, () => jsonRow(n++)));
      await variants[v]!.run(c, batches[0]!); // warm (plan, caches)
      const before = cpuNs(pid);
      for (const b of batches) await variants[v]!.run(c, b);
      results[v]!.push((cpuNs(pid) - before) / 1000 / (BATCHES * CHUNK));
    }
  }
  for (let v = 0; v < variants.length; v++) {
    const sorted = [...results[v]!].sort((a, b) => a - b);
    console.log(`${variants[v]!.name.padEnd(42)} µs/row median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} min ${sorted[0]!.toFixed(1)}: ${results[v]!.map((x) => x.toFixed(1)).join(", ")}`);
  }
  const sizes = await setup.query(`select avg(pg_column_size(inputs)) as inputs, avg(pg_column_size(t.*)) as row from log_full t`);
  console.log("avg bytes:", sizes.rows[0]);
  for (const { c } of clients) await c.end();
  await setup.end();
  await admin.query(`drop database ${dbName}`);
  await admin.end();
}
main().catch((e) => { console.error(e); process.exit(1); });
