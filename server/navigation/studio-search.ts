// Search every named thing of the studio at once (experiments, runs, datasets, models, reviews) for the command palette.
// One round trip: five small ILIKE queries (trigram-indexed where pg_trgm is), each capped, run side by side; names that start with the text rank first.
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "@/db/client";
import { authorize } from "../auth/permissions";
import type { ServiceContext } from "../service-context";
import type { StudioSearchHit, StudioSearchResult } from "./schema";

const path = (...segments: (string | number)[]) => `/${segments.map((segment) => encodeURIComponent(String(segment))).join("/")}`;

/** `%text%` with LIKE's own wildcards escaped, so "%" or "_" in a name is matched literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}

function prefixPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, "\\$&")}%`;
}

/**
 * The five queries of one search. Each `name ILIKE '%text%'` can read the trigram GIN index of its table (migration
 * 0021) where the database has pg_trgm, and scans where it has not: same answers either way.
 */
export function studioSearchQueries(input: { text: string; limitPerKind: number }) {
  const contains = containsPattern(input.text);
  const prefix = prefixPattern(input.text);
  const limit = input.limitPerKind;
  // "#12" or "12" finds review 12; any text finds reviews of models whose name contains it.
  const reviewId = /^#?\d{1,15}$/.test(input.text) ? Number(input.text.replace("#", "")) : null;
  return {
    experiments: sql`select experiment_id::text as id, name from experiments
        where lifecycle_stage = 'active' and name ilike ${contains}
        order by (name ilike ${prefix}) desc, last_update_time desc limit ${limit}`,
    runs: sql`select r.run_uuid as id, r.name, r.experiment_id::text as experiment_id, e.name as experiment from runs r
        join experiments e on e.experiment_id = r.experiment_id
        where r.lifecycle_stage = 'active' and e.lifecycle_stage = 'active' and (r.name ilike ${contains} or r.run_uuid = ${input.text})
        order by (r.name ilike ${prefix}) desc, r.start_time desc limit ${limit}`,
    datasets: sql`select d.name, (select count(*)::int from dataset_versions v where v.dataset_id = d.dataset_id) as versions from datasets d
        where d.name ilike ${contains}
        order by (d.name ilike ${prefix}) desc, d.updated_at desc limit ${limit}`,
    models: sql`select name, (select count(*)::int from model_versions v where v.model_id = m.model_id) as versions from registered_models m
        where name ilike ${contains}
        order by (name ilike ${prefix}) desc, last_updated_timestamp desc limit ${limit}`,
    reviews: sql`select rv.review_id::text as id, m.name as model, v.version, rv.status from reviews rv
        join model_versions v on v.version_id = rv.model_version_id
        join registered_models m on m.model_id = v.model_id
        where m.name ilike ${contains} ${reviewId !== null ? sql`or rv.review_id = ${reviewId}` : sql``}
        order by (rv.review_id = ${reviewId ?? -1}) desc, rv.updated_at desc limit ${limit}`,
  };
}

export async function searchStudio(ctx: ServiceContext, input: { text: string; limitPerKind: number }): Promise<StudioSearchResult> {
  authorize(ctx.actor, "studio.read");
  const db: Pick<Database, "execute"> = ctx.db;
  const queries = studioSearchQueries(input);
  const [experiments, runs, datasets, models, reviews] = await Promise.all([
    queryRows<{ id: string; name: string }>(db, queries.experiments),
    queryRows<{ id: string; name: string; experiment_id: string; experiment: string }>(db, queries.runs),
    queryRows<{ name: string; versions: number }>(db, queries.datasets),
    queryRows<{ name: string; versions: number }>(db, queries.models),
    queryRows<{ id: string; model: string; version: number; status: string }>(db, queries.reviews),
  ]);

  const hits: StudioSearchHit[] = [
    ...experiments.map((row) => ({ kind: "experiment" as const, title: row.name, context: "Experiment", href: path("experiments", row.id) })),
    ...runs.map((row) => ({
      kind: "run" as const,
      title: row.name || row.id,
      context: `Run in ${row.experiment}`,
      href: path("experiments", row.experiment_id, "runs", row.id),
    })),
    ...datasets.map((row) => ({
      kind: "dataset" as const,
      title: row.name,
      context: `Dataset, ${row.versions} version${row.versions === 1 ? "" : "s"}`,
      href: path("datasets", row.name),
    })),
    ...models.map((row) => ({
      kind: "model" as const,
      title: row.name,
      context: `Model, ${row.versions} version${row.versions === 1 ? "" : "s"}`,
      href: path("models", row.name),
    })),
    ...reviews.map((row) => ({
      kind: "review" as const,
      title: `Review #${row.id}: ${row.model} v${row.version}`,
      context: `Review, ${row.status.replace(/_/g, " ")}`,
      href: path("reviews", row.id),
    })),
  ];
  return { hits };
}
