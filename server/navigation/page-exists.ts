// Whether the thing a page URL names exists, asked before the page renders so that a missing one answers
// HTTP 404 with the studio's not-found page instead of 200 and a page that fails piece by piece.
// Existence only: what the reader may see is still decided by the API calls the page makes.
import { sql } from "drizzle-orm";
import { getDatabase, queryRows, type Database } from "@/db/client";

export type PageSubject =
  | { kind: "experiment"; experimentId: string }
  | { kind: "run"; experimentId: string; runId: string }
  | { kind: "model"; name: string }
  | { kind: "modelVersion"; name: string; version: number }
  | { kind: "dataset"; name: string }
  | { kind: "datasetVersion"; name: string; version: number }
  | { kind: "review"; reviewId: number };

const BIGINT_MAX = 9_223_372_036_854_775_807n;

/** A database id in a URL: digits that fit a bigint; anything else cannot name a row. */
function asRowId(text: string): string | null {
  return /^\d{1,19}$/.test(text) && BigInt(text) <= BIGINT_MAX ? text : null;
}

export async function pageSubjectExists(db: Pick<Database, "execute">, subject: PageSubject): Promise<boolean> {
  let rows: unknown[];
  switch (subject.kind) {
    case "experiment": {
      const id = asRowId(subject.experimentId);
      if (id === null) return false;
      rows = await queryRows(db, sql`select 1 from experiments where experiment_id = ${id}::int8`);
      break;
    }
    case "run": {
      const id = asRowId(subject.experimentId);
      if (id === null) return false;
      rows = await queryRows(db, sql`select 1 from runs where run_uuid = ${subject.runId} and experiment_id = ${id}::int8`);
      break;
    }
    case "model":
      rows = await queryRows(db, sql`select 1 from registered_models where name = ${subject.name}`);
      break;
    case "modelVersion":
      rows = await queryRows(
        db,
        sql`select 1 from model_versions v join registered_models m on m.model_id = v.model_id where m.name = ${subject.name} and v.version = ${subject.version}`,
      );
      break;
    case "dataset":
      rows = await queryRows(db, sql`select 1 from datasets where name = ${subject.name}`);
      break;
    case "datasetVersion":
      rows = await queryRows(
        db,
        sql`select 1 from dataset_versions v join datasets d on d.dataset_id = v.dataset_id where d.name = ${subject.name} and v.version = ${subject.version}`,
      );
      break;
    case "review":
      rows = await queryRows(db, sql`select 1 from reviews where review_id = ${subject.reviewId}`);
      break;
  }
  return rows.length > 0;
}

/** For page components: the process-wide database. */
export async function pageExists(subject: PageSubject): Promise<boolean> {
  const { db } = await getDatabase();
  return pageSubjectExists(db, subject);
}
