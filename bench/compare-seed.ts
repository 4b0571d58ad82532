// Seeds for bench/compare: long training curves for the compare charts and a 100,000-run experiment for
// the runs table, written set-based (INSERT … SELECT FROM generate_series) so tens of millions of points load in minutes.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { rebuildMetricRollups } from "@/server/tracking/metric-rollups";

/** What a seed holds; a stored seed is reused only when its shape equals the wanted one. */
export interface CompareSeedShape {
  /** Bump when the generated data changes, so kept databases are reseeded. */
  version: number;
  runs: number;
  metricKeys: string[];
  steps: number;
  tableRuns: number;
}

/**
 * The kept PostgreSQL seed of bench/compare: 100 runs × 5 metrics × 100,000 steps (issue 18's size). One constant for
 * every script that opens it: a shape that differs by anything (even key order) drops the 10 GB database and reseeds.
 */
export const POSTGRES_COMPARE_SHAPE: CompareSeedShape = {
  version: 1,
  runs: 100,
  metricKeys: ["loss", "val_loss", "accuracy", "learning_rate", "grad_norm"],
  steps: 100_000,
  tableRuns: 100_000,
};

export interface CompareSeed {
  compareExperimentId: string;
  compareRunIds: string[];
  tableExperimentId: string;
}

export const COMPARE_EXPERIMENT = "bench compare";
export const TABLE_EXPERIMENT = "bench runs table";
export const TABLE_MODELS = ["rf", "xgb", "mlp", "svm", "logreg"];

async function createExperiment(db: Database, name: string): Promise<string> {
  const now = Date.now();
  const [row] = await queryRows<{ experiment_id: string }>(db, sql`
    insert into experiments (name, artifact_location, creation_time, last_update_time)
    values (${name}, ${`mlflow-artifacts:/bench/${name.replaceAll(" ", "-")}`}, ${now}, ${now})
    returning experiment_id::text`);
  return row.experiment_id;
}

/**
 * The curves a training loop logs every step: a noisy decaying loss and validation loss, an accuracy
 * rising towards a plateau, a cosine learning-rate schedule and a gradient norm; a few steps per run
 * (about five in 100,000) carry a spike on every metric, as a bad batch does.
 */
function metricValue(key: string): ReturnType<typeof sql> {
  switch (key) {
    case "loss": return sql`c.base + 2.3 * c.d + (random() - 0.5) * (0.02 + 0.1 * c.d) + c.spike`;
    case "val_loss": return sql`c.base + 0.05 + 2.3 * c.d + 0.08 * c.x + (random() - 0.5) * 0.06 + c.spike`;
    case "accuracy": return sql`greatest(0, least(1, 0.97 - c.base - 0.85 * c.d + (random() - 0.5) * 0.02 - c.spike / 4))`;
    case "learning_rate": return sql`0.001 * 0.5 * (1 + cos(pi() * c.x))`;
    default: return sql`0.5 + 5 * c.d + abs(random() - 0.5) + 3 * c.spike`;
  }
}

/**
 * Drops the metrics table's primary key for a bulk load: one index build afterwards beats 50M index inserts. (Its runs
 * are checked once per statement since migration 0029, which a bulk load need not avoid.)
 */
async function withoutMetricsConstraints(db: Database, load: () => Promise<void>): Promise<void> {
  await db.execute(sql`alter table metrics drop constraint metrics_run_uuid_key_step_timestamp_value_pk`);
  await load();
  // The same definition as db/migrations/0000_tracking.sql.
  await db.execute(sql`alter table metrics add constraint metrics_run_uuid_key_step_timestamp_value_pk primary key (run_uuid, key, step, timestamp, value)`);
}

/** 100 runs × the shape's metric keys × steps points, one INSERT … SELECT per run, keys interleaved per step as a training loop logs them. */
export async function seedCompareRuns(db: Database, shape: CompareSeedShape, progress: (message: string) => void): Promise<Pick<CompareSeed, "compareExperimentId" | "compareRunIds">> {
  const experimentId = await createExperiment(db, COMPARE_EXPERIMENT);
  const t0 = Date.UTC(2026, 0, 1);
  const runIds = Array.from({ length: shape.runs }, (_, i) => createHash("md5").update(`compare-run-${i}`).digest("hex"));
  await db.execute(sql`
    insert into runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri)
    select id, ${Number(experimentId)}, 'train-' || (i - 1), 'bench', 'FINISHED', ${t0}::int8 + i * 100000000, ${t0}::int8 + i * 100000000 + ${shape.steps * 100},
           'active', 'mlflow-artifacts:/bench/compare/' || id
    from unnest(${sql.param(runIds)}::text[]) with ordinality as u(id, i)`);
  const spikeChance = 5 / shape.steps;
  const value = sql`case k.key ${sql.join(shape.metricKeys.map((key) => sql`when ${key} then ${metricValue(key)}`), sql` `)} end`;
  const started = performance.now();
  await withoutMetricsConstraints(db, async () => {
    for (const [i, runId] of runIds.entries()) {
      // Each run decays at its own pace towards its own floor, so the 100 lines are told apart.
      const tau = 0.08 + 0.2 * (((i * 37) % 11) / 11);
      const base = 0.05 + 0.15 * ((i % 7) / 7);
      const start = t0 + (i + 1) * 100_000_000;
      await db.execute(sql`
        insert into metrics (run_uuid, key, step, timestamp, value)
        select ${runId}, k.key, s, ${start}::int8 + s * 100, ${value}
        from generate_series(0, ${shape.steps - 1}) s
        cross join lateral (
          select s::float8 / ${shape.steps} as x, exp(-(s::float8 / ${shape.steps}) / ${tau}) as d, ${base}::float8 as base,
                 case when random() < ${spikeChance} then 1 + 2 * random() else 0 end as spike
        ) c
        cross join unnest(${sql.param(shape.metricKeys)}::text[]) as k(key)`);
      if ((i + 1) % 10 === 0 || i + 1 === runIds.length) {
        const seconds = (performance.now() - started) / 1000;
        progress(`compare runs: ${i + 1}/${runIds.length} runs (${((i + 1) * shape.metricKeys.length * shape.steps).toLocaleString("en-US")} points, ${seconds.toFixed(0)} s)`);
      }
    }
    progress("compare runs: building the metrics primary key…");
  });
  await db.execute(sql`
    insert into latest_metrics (run_uuid, key, step, timestamp, value)
    select r.run_uuid, k.key, last.step, last.timestamp, last.value
    from runs r cross join unnest(${sql.param(shape.metricKeys)}::text[]) as k(key)
    cross join lateral (
      select m.step, m.timestamp, m.value from metrics m where m.run_uuid = r.run_uuid and m.key = k.key
      order by m.step desc, m.timestamp desc, m.value desc limit 1
    ) last
    where r.experiment_id = ${Number(experimentId)}`);
  // Written straight into the history, so the chart rollups that log-batch would keep are built here.
  progress("compare runs: building the chart rollups…");
  await rebuildMetricRollups(db, runIds);
  return { compareExperimentId: experimentId, compareRunIds: runIds };
}

/**
 * `count` finished runs with params (model, lr, batch_size, optimizer), latest metrics acc and loss
 * (and their one history point) and tags, spread by a hash so filters select realistic fractions:
 * a fifth of the runs per model, acc uniform in [0.3, 0.95).
 */
export async function seedTableRuns(db: Database, count: number): Promise<string> {
  const experimentId = await createExperiment(db, TABLE_EXPERIMENT);
  const t0 = Date.UTC(2025, 0, 1);
  const id = sql`md5('table-run-' || g)`;
  await db.execute(sql`
    insert into runs (run_uuid, experiment_id, name, user_id, status, start_time, end_time, lifecycle_stage, artifact_uri)
    select ${id}, ${Number(experimentId)}, 'run-' || g, 'bench', 'FINISHED', ${t0}::int8 + g::int8 * 60000, ${t0}::int8 + g::int8 * 60000 + 30000,
           'active', 'mlflow-artifacts:/bench/table/' || g
    from generate_series(1, ${count}) g`);
  await db.execute(sql`
    insert into params (run_uuid, key, value)
    select ${id}, p.key, (p.choices)[1 + ((g * p.mult) % array_length(p.choices, 1))]
    from generate_series(1, ${count}) g,
      (values ('model', ${sql.param(TABLE_MODELS)}::text[], 2654435761),
              ('lr', array['0.1', '0.01', '0.001', '0.0001'], 40503),
              ('batch_size', array['32', '64', '128', '256'], 7919),
              ('optimizer', array['adam', 'sgd', 'adamw'], 104729)) as p(key, choices, mult)`);
  await db.execute(sql`
    insert into tags (run_uuid, key, value)
    select ${id}, t.key, t.value
    from generate_series(1, ${count}) g,
      lateral (values ('mlflow.runName', 'run-' || g), ('mlflow.user', 'bench'), ('team', 'team-' || (g % 5))) as t(key, value)`);
  for (const table of [sql`metrics`, sql`latest_metrics`]) {
    await db.execute(sql`
      insert into ${table} (run_uuid, key, step, timestamp, value)
      select ${id}, m.key, 10, ${t0}::int8 + g::int8 * 60000 + 30000, m.value
      from generate_series(1, ${count}) g,
        lateral (select 0.3 + 0.65 * abs(sin(g * 12.9898) * 43758.5453 - trunc(sin(g * 12.9898) * 43758.5453)) as acc) a,
        lateral (values ('acc', a.acc), ('loss', 1.1 - a.acc + 0.05 * sin(g))) as m(key, value)`);
  }
  return experimentId;
}

export async function seedCompareBench(db: Database, shape: CompareSeedShape, progress: (message: string) => void): Promise<CompareSeed> {
  const compare = await seedCompareRuns(db, shape, progress);
  progress(`runs table: ${shape.tableRuns.toLocaleString("en-US")} runs with params, metrics and tags…`);
  const tableExperimentId = await seedTableRuns(db, shape.tableRuns);
  // Vacuum as autovacuum would soon after a load: it sets the visibility map that index-only scans rely on.
  progress("vacuum analyze…");
  await db.execute(sql`vacuum analyze`);
  return { ...compare, tableExperimentId };
}

/** The experiments and runs of a seed already in the database. */
export async function findCompareSeed(db: Database): Promise<CompareSeed> {
  const experiments = await queryRows<{ name: string; experiment_id: string }>(db, sql`
    select name, experiment_id::text from experiments where name in (${COMPARE_EXPERIMENT}, ${TABLE_EXPERIMENT})`);
  const byName = new Map(experiments.map((e) => [e.name, e.experiment_id]));
  const compareExperimentId = byName.get(COMPARE_EXPERIMENT);
  const tableExperimentId = byName.get(TABLE_EXPERIMENT);
  if (!compareExperimentId || !tableExperimentId) throw new Error("the bench seed's experiments are missing");
  const runs = await queryRows<{ run_uuid: string }>(db, sql`
    select run_uuid from runs where experiment_id = ${Number(compareExperimentId)} order by start_time`);
  return { compareExperimentId, compareRunIds: runs.map((r) => r.run_uuid), tableExperimentId };
}
