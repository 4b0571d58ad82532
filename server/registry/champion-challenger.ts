// Champion vs challenger on a labelled CSV: both versions scored server-side with onnxruntime-node (the review
// evaluator's scoring), their agreement, each one's metrics, the rows where they differ, and a results file that
// keeps every column of the upload (the label included) beside both predictions.
import Papa from "papaparse";
import { z } from "zod";
import { compareClassifiers, compareRegressors, type PairComparison } from "@/lib/champion-challenger";
import { toCsv } from "@/lib/csv";
import { booleanFromText, numberFromText } from "@/lib/feature-values";
import { authorize } from "../auth/permissions";
import { trainingColumnsOf } from "../datasets/training-columns";
import { DomainError, invalidParameter, isDomainError } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { scoreModelColumns, type ModelScores } from "../review/evaluate";
import type { ServiceContext } from "../service-context";
import type { OnnxIntrospection } from "./onnx-introspection";
import { findModelVersion } from "./model-versions";
import { readModelVersionOnnx } from "./onnx-versions";

/** The disagreement table lists at most this many rows; the results file has them all. */
export const DISAGREEMENT_ROWS = 200;

export const zChampionChallengerRequest = z.object({
  name: z.string().min(1).max(500),
  champion: z.string().regex(/^\d+$/, "Version numbers are whole numbers"),
  challenger: z.string().regex(/^\d+$/, "Version numbers are whole numbers"),
  labelColumn: z.string().min(1, "Name the CSV column holding the true outcome").max(500),
});
export type ChampionChallengerRequest = z.infer<typeof zChampionChallengerRequest>;

const zMetric = z.object({ name: z.enum(["accuracy", "macro_f1", "rmse", "mae", "r2"]), value: z.number() });

export const zChampionChallengerReport = z.object({
  name: z.string(),
  task: z.enum(["binary", "multiclass", "regression"]),
  labelColumn: z.string(),
  fileRows: z.number(),
  comparedRows: z.number(),
  missingLabelRows: z.number(),
  /** Rows where a model returned NaN (a missing value it cannot handle): left out of the comparison, kept in the file. */
  unscoredRows: z.number(),
  agreementRate: z.number(),
  agreeing: z.number(),
  agreementRule: z.string(),
  versions: z.array(z.object({ role: z.enum(["champion", "challenger"]), version: z.string(), metrics: z.array(zMetric) })),
  disagreementCount: z.number(),
  disagreements: z.array(z.object({ row: z.number(), label: z.string(), champion: z.string(), challenger: z.string() })),
  notes: z.array(z.string()),
  /** Every uploaded row and column, then each version's prediction and whether they agree. */
  resultsCsv: z.string(),
});
export type ChampionChallengerReport = z.infer<typeof zChampionChallengerReport>;

type TextColumn = { name: string; values: (string | null)[] };

/** The CSV as text columns exactly as written (no type sniffing: the model's input types convert), empty = null. */
export function parseLabelledCsv(text: string): TextColumn[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { header: false, skipEmptyLines: "greedy" });
  const [header, ...rows] = parsed.data;
  if (!header || header.length === 0) throw invalidParameter("The file is empty: upload a CSV with a header row and labelled rows.", sentence("error.champion.file_empty"));
  const names = header.map((name) => name.trim());
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate !== undefined) {
    throw invalidParameter(`The header names the column '${duplicate}' twice; give every column its own name.`, sentence("error.champion.duplicate_column", { column: duplicate }));
  }
  if (rows.length === 0) throw invalidParameter("The file has a header but no rows to score.", sentence("error.champion.no_rows"));
  const long = rows.findIndex((row) => row.length > names.length);
  if (long >= 0) {
    throw invalidParameter(
      `Row ${long + 1} has ${rows[long].length} fields but the header names ${names.length}; fix the row or the header.`,
      sentence("error.champion.row_too_wide", { row: long + 1, found: rows[long].length, expected: names.length }),
    );
  }
  return names.map((name, column) => ({
    name,
    values: rows.map((row) => {
      const cell = row[column];
      return cell === undefined || cell.trim() === "" ? null : cell;
    }),
  }));
}

/** A label's class index: the text as written, a number written another way ("1.0" → "1"), or true/false for classes 0/1. */
function classIndexOf(text: string, classes: readonly string[]): number | undefined {
  const exact = classes.indexOf(text.trim());
  if (exact >= 0) return exact;
  const number = numberFromText(text);
  if (number !== null && Number.isFinite(number) && classes.includes(String(number))) return classes.indexOf(String(number));
  const bool = booleanFromText(text);
  if (bool !== null && classes.length === 2 && classes[0] === "0" && classes[1] === "1") return bool ? 1 : 0;
  return undefined;
}

async function loadVersion(ctx: ServiceContext, name: string, version: string) {
  const { row } = await findModelVersion(ctx.db, name, version);
  if (!row.introspection) {
    throw invalidParameter(
      `Version ${version} of '${name}' has no ONNX graph the studio could read; pick a version registered from an .onnx file.`,
      sentence("error.champion.no_graph", { model: name, version }),
    );
  }
  const { bytes } = await readModelVersionOnnx(ctx, name, version);
  return { onnx: bytes, introspection: row.introspection as OnnxIntrospection, trainingColumns: await trainingColumnsOf(ctx.db, row.lineage) };
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

export async function compareVersionsOnCsv(ctx: ServiceContext, request: ChampionChallengerRequest, csvText: string): Promise<ChampionChallengerReport> {
  authorize(ctx.actor, "studio.read");
  if (request.champion === request.challenger) {
    throw invalidParameter(`Pick two different versions: both sides are version ${request.champion}.`, sentence("error.champion.same_version", { version: request.champion }));
  }
  const columns = parseLabelledCsv(csvText);
  const label = columns.find((column) => column.name === request.labelColumn);
  if (!label) {
    const names = columns.map((column) => `'${column.name}'`).join(", ");
    throw invalidParameter(
      `The file has no column '${request.labelColumn}'; its columns are ${names}. Name the column holding the true outcome.`,
      sentence("error.champion.no_label_column", { column: request.labelColumn, columns: names }),
    );
  }
  const [championModel, challengerModel] = await Promise.all([loadVersion(ctx, request.name, request.champion), loadVersion(ctx, request.name, request.challenger)]);
  const score = async (model: typeof championModel, version: string): Promise<ModelScores> => {
    try {
      return await scoreModelColumns(model, columns, request.labelColumn);
    } catch (error) {
      // The evaluator words its advice for a review request; here the remedy is to give the model's columns names.
      const message = (text: string) =>
        `Version ${version}: ${text.replace(
          "confirm which dataset columns feed the model, in order, when requesting the review.",
          "register the version from a run whose MLmodel signature names its columns, or with a training dataset version in its lineage.",
        )}`;
      if (isDomainError(error)) {
        const said = error.sentence && { ...error.sentence, params: { ...error.sentence.params, remedy: "register" } };
        throw new DomainError(error.code, message(error.message), error.details, said && sentence("error.champion.version_refused", { version, reason: [said] }));
      }
      if (error instanceof Error) error.message = message(error.message);
      throw error;
    }
  };
  const championScores = await score(championModel, request.champion);
  const challengerScores = await score(challengerModel, request.challenger);
  if (championScores.task === "regression" !== (challengerScores.task === "regression")) {
    throw invalidParameter(
      `Version ${request.champion} is a ${championScores.task} model and version ${request.challenger} a ${challengerScores.task} one; compare versions that predict the same thing.`,
      sentence("error.champion.task_mismatch", { champion: request.champion, championTask: championScores.task, challenger: request.challenger, challengerTask: challengerScores.task }),
    );
  }
  const regression = championScores.task === "regression";
  const classes = championScores.classes;
  if (!regression && classes.join("\u0000") !== challengerScores.classes.join("\u0000")) {
    throw invalidParameter(
      `The versions predict different classes (${classes.join(", ")} against ${challengerScores.classes.join(", ")}); compare versions trained on the same classes.`,
      sentence("error.champion.class_mismatch", { champion: classes.join(", "), challenger: challengerScores.classes.join(", ") }),
    );
  }
  const width = regression ? 1 : classes.length;
  const fileRows = label.values.length;
  const notes = [...new Set([...championScores.notes, ...challengerScores.notes])];

  // Rows compared: a label, and finite outputs from both models.
  const truths: number[] = [];
  const kept: number[] = [];
  let missingLabelRows = 0;
  let unscoredRows = 0;
  for (let row = 0; row < fileRows; row += 1) {
    const text = label.values[row];
    if (text === null) {
      missingLabelRows += 1;
      continue;
    }
    let truth: number | undefined;
    if (regression) {
      const number = numberFromText(text);
      if (number === null) {
        throw invalidParameter(
          `Column '${request.labelColumn}', row ${row + 1}: "${text}" is not a number, but the models are regressors, so the label must be numeric.`,
          sentence("error.champion.label_not_number", { column: request.labelColumn, row: row + 1, text }),
        );
      }
      truth = number;
    } else {
      truth = classIndexOf(text, classes);
      if (truth === undefined) {
        throw invalidParameter(
          `Column '${request.labelColumn}', row ${row + 1} holds '${text}', which is not one of the models' classes (${classes.join(", ")}); check the label column.`,
          sentence("error.champion.label_not_class", { column: request.labelColumn, row: row + 1, text, classes: classes.join(", ") }),
        );
      }
    }
    const finite = (scores: ModelScores) => scores.outputs.subarray(row * width, (row + 1) * width).every(Number.isFinite);
    if (!finite(championScores) || !finite(challengerScores)) {
      unscoredRows += 1;
      continue;
    }
    truths.push(truth);
    kept.push(row);
  }
  if (missingLabelRows) notes.push(`Rows with no label were left out of the comparison: ${missingLabelRows} of ${fileRows}.`);
  if (unscoredRows) notes.push(`Rows where a version returned no number (usually a missing value the model cannot handle) were left out: ${unscoredRows} of ${fileRows}. They are in the results file without a prediction.`);
  if (kept.length === 0) {
    throw invalidParameter("No row could be compared: every row lacks a label or a prediction. Check the label column and missing values.", sentence("error.champion.nothing_compared"));
  }

  const keptOutputs = (scores: ModelScores) => {
    const out = new Float64Array(kept.length * width);
    kept.forEach((row, index) => out.set(scores.outputs.subarray(row * width, (row + 1) * width), index * width));
    return out;
  };
  const pair: PairComparison = regression
    ? compareRegressors(truths, keptOutputs(championScores), keptOutputs(challengerScores))
    : compareClassifiers(truths, keptOutputs(championScores), keptOutputs(challengerScores), width);
  const shown = (prediction: number) => (regression ? formatValue(prediction) : classes[prediction]);

  // The results file: every row as uploaded, then both predictions (empty where a version gave none) and agreement.
  const predictionOf = new Map<number, { champion: string; challenger: string; agree: boolean }>();
  kept.forEach((row, index) =>
    predictionOf.set(row, { champion: shown(pair.champion.predictions[index]), challenger: shown(pair.challenger.predictions[index]), agree: true }),
  );
  for (const index of pair.disagreements) predictionOf.get(kept[index])!.agree = false;
  const header = [...columns.map((column) => column.name), `v${request.champion}_prediction`, `v${request.challenger}_prediction`, "agree"];
  const rows = Array.from({ length: fileRows }, (_, row) => {
    const predicted = predictionOf.get(row);
    return [...columns.map((column) => column.values[row] ?? ""), predicted?.champion ?? "", predicted?.challenger ?? "", predicted ? (predicted.agree ? "yes" : "no") : ""];
  });

  return {
    name: request.name,
    task: championScores.task,
    labelColumn: request.labelColumn,
    fileRows,
    comparedRows: kept.length,
    missingLabelRows,
    unscoredRows,
    agreementRate: pair.agreementRate,
    agreeing: pair.agreeing,
    agreementRule: pair.agreementRule,
    versions: [
      { role: "champion", version: request.champion, metrics: pair.champion.metrics },
      { role: "challenger", version: request.challenger, metrics: pair.challenger.metrics },
    ],
    disagreementCount: pair.disagreements.length,
    disagreements: pair.disagreements.slice(0, DISAGREEMENT_ROWS).map((index) => ({
      row: kept[index] + 1,
      label: label.values[kept[index]] ?? "",
      champion: shown(pair.champion.predictions[index]),
      challenger: shown(pair.challenger.predictions[index]),
    })),
    notes,
    resultsCsv: toCsv(header, rows),
  };
}
