// The bare-INSERT baseline of bench/mlflow, in its own process after the studio has stopped: it opens the studio's
// database exactly as the studio does (getDatabase() with the studio's STUDIO_DATA_DIR and environment, so it is
// whatever the embedded default is) and inserts the same points as the log-batch load with one multi-row
// `INSERT … SELECT FROM unnest(…)` per batch: no HTTP, JSON, auth, validation or latest-value upkeep. Every
// point is counted back. Prints one JSON line: { acknowledged, counted, elapsed, kind }.
// Usage (by bench/mlflow.ts): tsx bench/mlflow-bare-insert.ts '{"runIds":[…],"seconds":15,"batchSize":1000}'
import { sql } from "drizzle-orm";
import { z } from "zod";
import { getDatabase, queryRows } from "@/db/client";
import { batchPoints, runFor } from "./mlflow-load";

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
    const [row] = await queryRows<{ n: string }>(db, sql`select count(*) as n from metrics where run_uuid = any(${sql.param(args.runIds)}::text[])`);
    console.log(JSON.stringify({ acknowledged: load.acknowledged, counted: Number(row.n), elapsed: load.elapsed, kind: handle.kind }));
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
