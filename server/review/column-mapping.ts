// Which dataset columns feed a model version: the names its signature or training dataset (lineage) give, or, when
// nothing names a matrix input's columns, the order the requester confirmed once, stored with the review.
import type { Database } from "@/db/client";
import { columnOrderProblems, type ColumnMapping } from "@/lib/feature-names";
import type { Actor } from "../auth/actor";
import { matrixInputOf } from "../datasets/training-columns";
import { invalidParameter } from "../errors";
import type { OnnxIntrospection } from "../registry/onnx-introspection";

export { matrixInputOf, trainingColumnsOf } from "../datasets/training-columns";

/**
 * The column mapping to store with a new review: null when names are known (the evaluator matches by name), the
 * requester's confirmed order when they are not. Refuses a missing, unusable or needless order with what to do.
 */
export async function reviewColumnMapping(
  db: Pick<Database, "select">,
  actor: Actor,
  model: { introspection: OnnxIntrospection; lineage: unknown },
  columnOrder: string[] | null | undefined,
  dataset: { columns: string[]; labelColumn: string },
): Promise<ColumnMapping | null> {
  const matrix = await matrixInputOf(db, model.introspection, model.lineage);
  const given = columnOrder && columnOrder.length > 0 ? columnOrder : null;
  if (!matrix || matrix.names) {
    if (given) {
      throw invalidParameter(
        matrix
          ? "The model names its columns, so they are matched by name: leave the column order out."
          : "The model takes one input per column, matched by name: there is no column order to confirm.",
      );
    }
    return null;
  }
  if (!given) {
    throw invalidParameter(
      `Nothing names the ${matrix.width ?? "several"} columns of the model's input '${matrix.inputName}' (no MLmodel signature with column names, no training dataset ` +
        "version in its lineage): confirm which dataset columns feed it, in order (columnOrder).",
    );
  }
  const width = matrix.width ?? given.length;
  const problems = columnOrderProblems(given, width, dataset.columns);
  if (given.includes(dataset.labelColumn)) problems.push(`'${dataset.labelColumn}' is the label column; it cannot feed the model.`);
  if (problems.length > 0) throw invalidParameter(`The column order cannot feed the model's input '${matrix.inputName}': ${problems.join(" ")}`);
  return { inputName: matrix.inputName, columns: [...given], confirmedBy: actor.username, confirmedAt: Date.now() };
}
