// runJsonSql writes a run's MLflow JSON with text concatenation for speed: it must say exactly what the
// json_build_object form it replaced says, for every awkward value a user can store.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { runJsonSql, type RunColumnSelection } from "./runs";

/** The json_build_object form runJsonSql had before (the reference). */
function referenceRunJson(columns?: RunColumnSelection) {
  const only = (keys: string[] | undefined) => (keys ? sql` and c.key = any(${sql.param(keys)}::text[])` : sql``);
  return sql`json_build_object(
    'info', json_strip_nulls(json_build_object(
      'run_id', u.run_uuid, 'run_uuid', u.run_uuid, 'run_name', u.name, 'experiment_id', u.experiment_id::text,
      'user_id', u.user_id, 'status', u.status, 'start_time', u.start_time, 'end_time', u.end_time,
      'artifact_uri', u.artifact_uri, 'lifecycle_stage', u.lifecycle_stage)),
    'data', json_build_object(
      'metrics', coalesce((select json_agg(json_build_object('key', c.key, 'value', c.value, 'timestamp', c.timestamp, 'step', c.step) order by c.key collate "C")
                  from latest_metrics c where c.run_uuid = u.run_uuid${only(columns?.metrics)}), '[]'::json),
      'params', coalesce((select json_agg(json_build_object('key', c.key, 'value', c.value) order by c.key collate "C")
                  from params c where c.run_uuid = u.run_uuid${only(columns?.params)}), '[]'::json),
      'tags', coalesce((select json_agg(json_build_object('key', c.key, 'value', c.value) order by c.key collate "C")
                  from tags c where c.run_uuid = u.run_uuid${only(columns?.tags)}), '[]'::json)),
    'inputs', json_build_object('dataset_inputs', coalesce((
      select json_agg(json_build_object('tags', ri.tags, 'dataset', json_strip_nulls(json_build_object(
               'name', d.name, 'digest', d.digest, 'source_type', d.source_type, 'source', d.source,
               'schema', d.schema, 'profile', d.profile))) order by d.name collate "C", d.digest collate "C")
        from run_inputs ri join tracked_datasets d on d.dataset_uuid = ri.dataset_uuid
       where ri.run_uuid = u.run_uuid), '[]'::json)))`;
}

const AWKWARD = ['say "hi"', "back\\slash", "line\nbreak\ttab\r", "\u0001\u001f control", "émoji 🚀 ünïcode", "</script><b>", "", "  spaces  "];

describe.each(testBackends)("runJsonSql on %s", (kind) => {
  let studio: TestStudio;

  beforeAll(async () => {
    studio = await createTestStudio(kind);
    const { db } = studio;
    await db.execute(sql`insert into experiments (experiment_id, name, artifact_location, creation_time, last_update_time) values (900, 'json', '/tmp/a', 1, 1)`);
    await db.execute(sql`insert into runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, artifact_uri)
      values ('r-open', 900, ${AWKWARD[0]}, ${AWKWARD[4]}, 'RUNNING', 1700000000000, null, ${AWKWARD[5]}),
             ('r-done', 900, ${AWKWARD[2]}, '', 'FINISHED', 9007199254740993, 9007199254740999, '/tmp/a/r')`);
    const values = ["NaN", "Infinity", "-Infinity", "-0", "0", "1e-07", "1e+16", "123456789012345.6", "-2.2250738585072014e-308", "0.1"];
    for (const [i, value] of values.entries()) {
      await db.execute(sql`insert into latest_metrics (run_uuid, key, step, timestamp, value) values ('r-open', ${`m${i}${AWKWARD[i % AWKWARD.length]}`}, ${i * 1_000_000_000_000}, ${-i}, ${value}::float8)`);
    }
    for (const [i, text] of AWKWARD.entries()) {
      await db.execute(sql`insert into params (run_uuid, key, value) values ('r-open', ${`p${i}`}, ${text}), ('r-done', ${text || "empty"}, ${`v${i}`})`);
      await db.execute(sql`insert into tags (run_uuid, key, value) values ('r-open', ${`t${i}${text}`}, ${text})`);
    }
    await db.execute(sql`insert into tracked_datasets (dataset_uuid, experiment_id, name, digest, source_type, source, schema, profile)
      values ('d1', 900, ${AWKWARD[0]}, 'abc', 'local', ${AWKWARD[2]}, null, '{"rows": 3}'), ('d2', 900, 'b', 'def', 'http', 'u', '{}', null)`);
    await db.execute(sql`insert into run_inputs (run_uuid, dataset_uuid, tags) values ('r-open', 'd1', '[{"key":"mlflow.data.context","value":"train \\"x\\""}]'), ('r-open', 'd2', '[]')`);
  });
  afterAll(async () => studio.close());

  async function both(columns?: RunColumnSelection): Promise<{ text: string; reference: string }[]> {
    return queryRows<{ text: string; reference: string }>(studio.db, sql`
      select ${runJsonSql(columns)} as text, ${referenceRunJson(columns)}::text as reference
      from runs u where u.experiment_id = 900 order by u.run_uuid`);
  }

  it("writes the same JSON as json_build_object for quotes, escapes, unicode, NaN, ±Infinity, -0, large int8 and null end times", async () => {
    const rows = await both();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(JSON.parse(row.text)).toEqual(JSON.parse(row.reference));
      // Same members in the same order, not only equal values.
      expect(JSON.stringify(JSON.parse(row.text))).toBe(JSON.stringify(JSON.parse(row.reference)));
    }
    const open = JSON.parse(rows.find((r) => r.text.includes('"r-open"'))!.text);
    expect(open.info).not.toHaveProperty("end_time");
    expect(open.data.metrics.map((m: { value: unknown }) => m.value)).toEqual(
      expect.arrayContaining(["NaN", "Infinity", "-Infinity", -0, 1e-7, 1e16]),
    );
    expect(open.data.params).toContainEqual({ key: "p2", value: "line\nbreak\ttab\r" });
    expect(open.inputs.dataset_inputs).toHaveLength(2);
    // int8 beyond 2^53 is written exactly, as json_build_object writes it.
    expect(rows.find((r) => r.text.includes('"r-done"'))!.text).toContain('"start_time":9007199254740993,"end_time":9007199254740999');
  });

  it("narrows to the selected keys as before", async () => {
    const columns = { metrics: ["m1" + AWKWARD[1]], params: ["p0", "p3"], tags: [] };
    for (const row of await both(columns)) expect(JSON.parse(row.text)).toEqual(JSON.parse(row.reference));
    const [open] = (await both(columns)).filter((r) => r.text.includes('"r-open"')).map((r) => JSON.parse(r.text));
    expect(open.data.params.map((p: { key: string }) => p.key)).toEqual(["p0", "p3"]);
    expect(open.data.tags).toEqual([]);
    expect(open.data.metrics).toHaveLength(1);
  });
});
