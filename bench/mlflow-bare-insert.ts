// The bare-INSERT baseline of bench/mlflow, in its own process after the studio has stopped: it opens the studio's
// database exactly as the studio does (getDatabase() with the studio's STUDIO_DATA_DIR and environment, so it is
// whatever the embedded default is) and inserts the same points as the log-batch load with one multi-row
// `INSERT … SELECT FROM unnest(…)` per batch: no HTTP, JSON, auth, validation or latest-value upkeep. Every
// point is counted back. Two arms, one after the other: the arrays as node-postgres sends them (text, the ceiling this
// suite always reported), then as binary parameters, the encoding log-batch's insert itself uses on PostgreSQL since
// issue 18's i18-ingest third pass (server/tracking/binary-array.ts), so the studio is never measured against a ceiling
// that pays a cost it does not. On PostgreSQL a third arm puts the same binary bare INSERT behind HTTP: a Node process of
// its own that reads each body and JSON.parse-s it (bench/log-batch-servers.ts's `floor`), driven by the same fetch load
// as the servers: the least any HTTP API must pay for these requests, which the two in-process arms never do (issue 18,
// helper i18-ingest, 2026-12-07). Prints one JSON line:
// { acknowledged, counted, elapsed, kind, binary: { acknowledged, elapsed }, floor: { acknowledged, elapsed } | null }.
// Usage (by bench/mlflow.ts): tsx bench/mlflow-bare-insert.ts '{"runIds":[…],"seconds":15,"batchSize":1000}'
import { sql } from "drizzle-orm";
import { z } from "zod";
import { getDatabase, queryRows } from "@/db/client";
import { float8ArrayBinary, int8ArrayBinary, textArrayBinary } from "@/server/tracking/binary-array";
import { startServerProcess } from "./log-batch-servers";
import { batchPoints, runFor, type LoadResult } from "./mlflow-load";

/** The binary arm's batches start here, so its steps follow the text arm's in the same runs (every point new). */
const BINARY_ARM_FIRST_BATCH = 1_000_000;
/** And the HTTP floor's here, after the binary arm's. */
const FLOOR_ARM_FIRST_BATCH = 2_000_000;

const zArgs = z.object({ runIds: z.array(z.string().min(1)).min(1), seconds: z.number().positive(), batchSize: z.number().int().positive() });

async function main(): Promise<void> {
  const args = zArgs.parse(JSON.parse(process.argv[2] ?? "{}"));
  const handle = await getDatabase();
  const { db } = handle;
  try {
    const load = await runFor(args.seconds, args.runIds.length, async (client, batch) => {
      const metrics = batchPoints(batch, args.batchSize);
      await db.execute(sql`
        insert into metrics (run_uuid, key, step, timestamp, value)
        select ${args.runIds[client]}, k, s, t, v
        from unnest(${sql.param(metrics.map((m) => m.key))}::text[], ${sql.param(metrics.map((m) => m.step))}::int8[],
                    ${sql.param(metrics.map((m) => m.timestamp))}::int8[], ${sql.param(metrics.map((m) => m.value))}::float8[]) as u(k, s, t, v)`);
      return metrics.length;
    });
    if (load.failedBatches > 0) throw new Error(`bare INSERT failed ${load.failedBatches} batches: ${load.firstError}`);
    const binary = await runFor(args.seconds, args.runIds.length, async (client, batch) => {
      const metrics = batchPoints(BINARY_ARM_FIRST_BATCH + batch, args.batchSize);
      // PGlite takes no binary parameters this way: there both arms send text.
      const encode = handle.kind === "postgres";
      const keys = metrics.map((m) => m.key);
      const steps = metrics.map((m) => m.step);
      const timestamps = metrics.map((m) => m.timestamp);
      const values = metrics.map((m) => m.value);
      await db.execute(sql`
        insert into metrics (run_uuid, key, step, timestamp, value)
        select ${args.runIds[client]}, k, s, t, v
        from unnest(${encode ? textArrayBinary(keys) : sql.param(keys)}::text[], ${encode ? int8ArrayBinary(steps) : sql.param(steps)}::int8[],
                    ${encode ? int8ArrayBinary(timestamps) : sql.param(timestamps)}::int8[], ${encode ? float8ArrayBinary(values) : sql.param(values)}::float8[]) as u(k, s, t, v)`);
      return metrics.length;
    });
    if (binary.failedBatches > 0) throw new Error(`bare INSERT (binary) failed ${binary.failedBatches} batches: ${binary.firstError}`);
    let floor: LoadResult | null = null;
    if (handle.embeddedUrl) {
      const server = await startServerProcess("floor", handle.embeddedUrl);
      try {
        floor = await runFor(args.seconds, args.runIds.length, async (client, batch) => {
          const metrics = batchPoints(FLOOR_ARM_FIRST_BATCH + batch, args.batchSize);
          const response = await fetch(`http://127.0.0.1:${server.port}/api/2.0/mlflow/runs/log-batch`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ run_id: args.runIds[client], metrics }),
          });
          const text = await response.text();
          if (!response.ok) throw new Error(`${response.status}: ${text.slice(0, 300)}`);
          JSON.parse(text);
          return metrics.length;
        });
      } finally {
        await new Promise((ok) => (server.process.once("exit", ok), server.process.kill("SIGTERM")));
      }
      if (floor.failedBatches > 0) throw new Error(`HTTP floor failed ${floor.failedBatches} batches: ${floor.firstError}`);
    }
    const [row] = await queryRows<{ n: string }>(db, sql`select count(*) as n from metrics where run_uuid = any(${sql.param(args.runIds)}::text[])`);
    console.log(
      JSON.stringify({
        acknowledged: load.acknowledged,
        counted: Number(row.n),
        elapsed: load.elapsed,
        kind: handle.kind,
        binary: { acknowledged: binary.acknowledged, elapsed: binary.elapsed },
        floor: floor && { acknowledged: floor.acknowledged, elapsed: floor.elapsed },
      }),
    );
  } finally {
    await handle.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
