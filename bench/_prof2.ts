import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "@/db/client";
async function main() {
  const handle = await openDatabase({ url: "postgres://postgres@127.0.0.1:5432/modelops_bench_compare" });
  const runIds = (await queryRows<{ run_uuid: string }>(handle.db, sql`select r.run_uuid from runs r join experiments e on e.experiment_id = r.experiment_id where e.name = 'bench compare' order by r.start_time`)).map((r) => r.run_uuid);
  const q = (cols: ReturnType<typeof sql>) => handle.db.transaction(async (tx) => { await tx.execute(sql`set local jit = off`); return queryRows<Record<string, unknown>>(tx as never, sql`
      select ${cols}
      from unnest(${sql.param(runIds)}::text[], ${sql.param(runIds.map(() => "loss"))}::text[], ${sql.param(runIds.map(() => 256))}::int4[], ${sql.param(runIds.map((_, i) => i))}::int4[]) as c(run_uuid, key, w, i)
      cross join lateral (select * from metric_rollups b where b.run_uuid = c.run_uuid and b.key = c.key and b.width = c.w order by b.bucket) b`); });
  const variants: [string, ReturnType<typeof sql>][] = [
    ["count only", sql`count(*)`],
    ["13 scalar cols", sql`c.i, b.lo[1] as lo1, b.lo[2] as lo2, b.lo[3] as lo3, b.hi[1] as hi1, b.hi[2] as hi2, b.hi[3] as hi3, b.first[1] as f1, b.first[2] as f2, b.first[3] as f3, b.last[1] as l1, b.last[2] as l2, b.last[3] as l3`],
    ["one text col", sql`c.i, concat_ws(',', b.lo[1], b.lo[2], b.lo[3], b.hi[1], b.hi[2], b.hi[3], b.first[1], b.first[2], b.first[3], b.last[1], b.last[2], b.last[3]) as t`],
  ];
  for (const [label, cols] of variants) {
    const t: number[] = [];
    for (let i = 0; i < 6; i++) { const s = performance.now(); await q(cols); t.push(performance.now() - s); }
    console.log(label, t.sort((a, b) => a - b).map((x) => x.toFixed(0)).join(" "));
  }
  // Per-series JSON built by the database
  const t: number[] = [];
  for (let i = 0; i < 6; i++) { const s = performance.now(); await handle.db.transaction(async (tx) => { await tx.execute(sql`set local jit = off`); return queryRows(tx as never, sql`
      select c.i, (select json_agg(json_build_array(b.lo[1], b.lo[2], b.lo[3], b.hi[1], b.hi[2], b.hi[3], b.first[1], b.first[2], b.first[3], b.last[1], b.last[2], b.last[3]) order by b.bucket) from metric_rollups b where b.run_uuid = c.run_uuid and b.key = c.key and b.width = c.w) as j
      from unnest(${sql.param(runIds)}::text[], ${sql.param(runIds.map(() => "loss"))}::text[], ${sql.param(runIds.map(() => 256))}::int4[], ${sql.param(runIds.map((_, i) => i))}::int4[]) as c(run_uuid, key, w, i)`); }); t.push(performance.now() - s); }
  console.log("json per series", t.sort((a, b) => a - b).map((x) => x.toFixed(0)).join(" "));
  await handle.close();
}
void main();
