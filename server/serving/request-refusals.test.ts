// Every refusal of a request's layout, shape and values (tensors.ts, protocols.ts, the model reference, onnxruntime's
// own refusal) in both languages: English exactly the words clients read before these refusals had sentences, which
// is also what the English catalogue says; French from the serving process's own table (refusal-language.ts), as a
// French caller gets it. No database: the requests are parsed against hand-made model descriptions.
import { describe, expect, it } from "vitest";
import type { ServerSentence } from "@/lib/i18n/server-sentence";
import { z } from "zod";
import { DomainError, toDomainError } from "../errors";
import { frenchTypography, refusalOfCall, saidIn } from "../testing/said-error";
import { scoringRefusal } from "./batched-run";
import { parseModelReference, type ModelDescription } from "./model-server";
import { parseMlflowCsv, parseMlflowJson, parseOipInfer } from "./protocols";
import { saidServingRefusal } from "./refusal-language";
import { feedsFromCells, type ServedValue } from "./tensors";

function describeModel(inputs: ServedValue[], fields: { key: string; input: number; column: number }[], namedColumns = true): ModelDescription {
  return {
    name: "m",
    modelId: 1,
    version: "1",
    versionId: 1,
    inputs,
    outputs: [
      { name: "label", elementType: "int64", shape: [null] },
      { name: "probabilities", elementType: "float32", shape: [null, 2] },
    ],
    fields,
    fieldIndex: new Map(fields.map((f, i) => [f.key, i])),
    namedColumns,
    digest: "0".repeat(64),
    handlesMissing: false,
    binary: null,
    retired: false,
  };
}

/** One float32 feature matrix [N, 3] with named columns a, b, c. */
const matrix = describeModel([{ name: "features", elementType: "float32", shape: [null, 3] }], ["a", "b", "c"].map((key, column) => ({ key, input: 0, column })));
/** The same without column names (x0…): columns are taken by position. */
const unnamed = describeModel(matrix.inputs, ["x0", "x1", "x2"].map((key, column) => ({ key, input: 0, column })), false);
/** One input per column, of four element types. */
const typed = describeModel(
  [
    { name: "age", elementType: "int32", shape: [null, 1] },
    { name: "name", elementType: "string", shape: [null, 1] },
    { name: "flag", elementType: "bool", shape: [null, 1] },
    { name: "x", elementType: "float32", shape: [null, 1] },
  ],
  ["age", "name", "flag", "x"].map((key, input) => ({ key, input, column: 0 })),
);
/** A feature matrix of 14 named columns: refusals list the first 12. */
const wideKeys = Array.from({ length: 14 }, (_, i) => `c${i}`);
const wide = describeModel([{ name: "features", elementType: "float32", shape: [null, 14] }], wideKeys.map((key, column) => ({ key, input: 0, column })));
/** One float32 tensor [N, 2]. */
const tensor = describeModel([{ name: "input", elementType: "float32", shape: [null, 2] }], [{ key: "input", input: 0, column: 0 }]);

const record = (values: Record<string, unknown>) => parseMlflowJson(typed, { dataframe_records: [{ age: 1, name: "n", flag: true, x: 1, ...values }] });
const oip = (inputs: unknown, extra: Record<string, unknown> = {}) => parseOipInfer(tensor, { inputs, ...extra });
const oipTensor = (fields: Record<string, unknown>) => ({ name: "input", shape: [1, 2], datatype: "FP32", data: [1, 2], ...fields });

/** [what the case is, the refused call, the English message clients have always read]. */
const cases: [string, () => unknown, string][] = [
  // Values of cells (tensors.ts writeCell), named by column and row.
  ["text expected", () => record({ name: 5 }), "Column 'name' (row 1) must be text (the model's input is a string tensor), got number 5."],
  ["true or false expected", () => record({ flag: "yes" }), `Column 'flag' (row 1) must be true or false, got text "yes".`],
  ["number expected, a list", () => record({ x: [1] }), "Column 'x' (row 1) must be a number, got a list."],
  ["number expected, an object", () => record({ age: {} }), "Column 'age' (row 1) must be a number, got an object."],
  ["number expected, CSV text", () => parseMlflowCsv(matrix, "a,b,c\n1,abc,3"), `Column 'b' (row 1) must be a number, got text "abc".`],
  [
    "missing float",
    () => record({ x: null }),
    "Column 'x' (row 1) is missing (null or empty): the model does not declare that it handles missing values, so send a number (or register a model that imputes them, e.g. with an Imputer step, or declares metadata handles_missing_values=true).",
  ],
  ["missing integer", () => record({ age: null }), "Column 'age' (row 1) is missing (null or empty): the model does not declare that it handles missing values, so send a number."],
  ["finite number expected", () => parseMlflowCsv(matrix, "a,b,c\n1,2,-Infinity"), `Column 'c' (row 1) must be a finite number, got text "-Infinity".`],
  ["float32 range", () => record({ x: 1e39 }), "Column 'x' (row 1) is 1e+39, outside the range of the model's float32 input (±3.4e38): send a value within it."],
  ["whole number expected", () => record({ age: 1.5 }), "Column 'age' (row 1) must be a whole number (the model's input is int32), got number 1.5."],
  ["integer range", () => record({ age: 3e9 }), "Column 'age' (row 1) is 3000000000, outside the range of the model's int32 input [-2147483648, 2147483647]."],
  ["a value of a nested list", () => parseMlflowJson(tensor, { inputs: [[1, "two"]] }), `'inputs' value 2 must be a number, got text "two".`],
  ["a value of an OIP tensor", () => oip([oipTensor({ data: [1, true] })]), "Input 'input' value 2 must be a number, got boolean true."],
  [
    "a long text is cut",
    () => record({ age: "x".repeat(50) }),
    `Column 'age' (row 1) must be a number, got text "${"x".repeat(40)}…".`,
  ],
  ["element type", () => feedsFromCells([{ name: "h", elementType: "float16", shape: [null, 1] }], [{ key: "h", input: 0, column: 0 }], 1, () => 1), "Inputs of element type float16 cannot be served."],
  ["no rows", () => parseMlflowJson(matrix, { inputs: { a: [], b: [], c: [] } }), "There are no rows to score: send at least one."],
  ["a row without a column", () => parseMlflowJson(matrix, { dataframe_records: [{ a: 1, b: 2, c: 3 }, { a: 1, b: 2 }] }), "Row 2 has no value for column 'c'."],
  // Shapes of nested lists and OIP tensors.
  ["declared shape against the data", () => oip([oipTensor({ data: [1, 2, 3] })]), "Input 'input': shape [1, 2] needs 2 values, but the data holds 3."],
  ["ragged list", () => parseMlflowJson(tensor, { inputs: [[1, 2], [3]] }), "'inputs': ragged nested list, a list at depth 2 has 1 items where 2 were expected."],
  ["ragged value", () => parseMlflowJson(tensor, { instances: [[1, 2], 5] }), "'instances': ragged nested list, a value sits at depth 1 of 2."],
  ["rank", () => parseMlflowJson(tensor, { inputs: [1, 2] }), "'inputs': shape [2] does not fit the model's input 'input' of shape [-1, 2] (rank 2)."],
  ["dimension", () => oip([oipTensor({ shape: [1, 3], data: [1, 2, 3] })]), "Input 'input': shape [1, 3] has 3 at dimension 1, but the model's input 'input' has shape [-1, 2]."],
  // MLflow's body layouts (protocols.ts).
  ["unnamed columns", () => parseMlflowJson(unnamed, { dataframe_split: { columns: ["p", "q"], data: [[1, 2]] } }), "The model takes 3 columns in order (its features have no names), but the request has 2."],
  ["row of the wrong width", () => parseMlflowJson(matrix, { dataframe_split: { columns: ["a", "b", "c"], data: [[1, 2]] } }), "dataframe_split.data row 1 must be a list of 3 values (one per column), got 2 values."],
  ["row that is not a list", () => parseMlflowJson(matrix, { dataframe_split: { columns: ["a", "b", "c"], data: [[1, 2, 3], 7] } }), "dataframe_split.data row 2 must be a list of 3 values (one per column), got number."],
  ["no records", () => parseMlflowJson(matrix, { dataframe_records: [] }), "'dataframe_records' is empty: send at least one record."],
  ["record that is not an object", () => parseMlflowJson(matrix, { instances: [{ a: 1, b: 2, c: 3 }, 4] }), "instances item 2 must be an object of column → value."],
  ["missing inputs", () => parseMlflowJson(typed, { inputs: { age: [[1]], name: [["n"]] } }), "Missing inputs 'flag', 'x' in 'inputs': the model takes age, name, flag, x."],
  ["missing input", () => parseMlflowJson(typed, { inputs: { age: [[1]], name: [["n"]], flag: [[true]] } }), "Missing input 'x' in 'inputs': the model takes age, name, flag, x."],
  ["inputs of different lengths", () => parseMlflowJson(typed, { inputs: { age: [[1], [2]], name: [["n"]], flag: [[true]], x: [[1]] } }), "Input 'name' has 1 rows, the others 2: every input needs the same number of rows."],
  ["columns of different lengths", () => parseMlflowJson(matrix, { inputs: { a: [1, 2], b: [1], c: [1, 2] } }), "'inputs.b' must be a list of 2 values like the other columns."],
  ["no known field", () => parseMlflowJson(matrix, { rows: [] }), "The body must have one of the fields dataframe_split, dataframe_records, instances, inputs (MLflow's scoring protocol); it has rows."],
  ["no field at all", () => parseMlflowJson(matrix, {}), "The body must have one of the fields dataframe_split, dataframe_records, instances, inputs (MLflow's scoring protocol); it has none."],
  ["two fields", () => parseMlflowJson(matrix, { instances: [], inputs: [] }), "The body has instances and inputs; send exactly one of dataframe_split, dataframe_records, instances, inputs."],
  [
    "three fields",
    () => parseMlflowJson(matrix, { inputs: [], dataframe_records: [], instances: [] }),
    "The body has dataframe_records and instances and inputs; send exactly one of dataframe_split, dataframe_records, instances, inputs.",
  ],
  ["dataframe_split not an object", () => parseMlflowJson(matrix, { dataframe_split: [] }), `'dataframe_split' must be an object {"columns": [...], "data": [[...], ...]}.`],
  ["dataframe_split without rows", () => parseMlflowJson(matrix, { dataframe_split: { columns: ["a"], data: [] } }), "'dataframe_split.data' is empty: send at least one row."],
  ["dataframe_split without columns", () => parseMlflowJson(matrix, { dataframe_split: { data: [[1, 2]] } }), "'dataframe_split' has no 'columns': name them (a, b, c)."],
  [
    "a long list of columns is cut",
    () => parseMlflowJson(wide, { dataframe_records: [{ c0: 1, colour: 2 }] }),
    `Unknown column "colour": the model takes ${wideKeys.slice(0, 12).join(", ")}, … (14 columns).`,
  ],
  ["missing columns", () => parseMlflowJson(wide, { dataframe_records: [{ c0: 1 }] }), `Missing columns ${wideKeys.slice(1).map((key) => `'${key}'`).join(", ")}: the model takes ${wideKeys.slice(0, 12).join(", ")}, … (14 columns).`],
  ["dataframe_split columns not a list", () => parseMlflowJson(matrix, { dataframe_split: { columns: "a", data: [[1]] } }), "'dataframe_split.columns' must be a list of column names."],
  ["dataframe_records not a list", () => parseMlflowJson(matrix, { dataframe_records: {} }), "'dataframe_records' must be a list of objects, one per row."],
  ["instances empty", () => parseMlflowJson(matrix, { instances: [] }), "'instances' must be a non-empty list."],
  ["a list for several inputs", () => parseMlflowJson(typed, { inputs: [[1]] }), "The model has 4 inputs (age, name, flag, x): send 'inputs' as an object keyed by input name."],
  ["inputs neither list nor object", () => parseMlflowJson(matrix, { inputs: 5 }), "'inputs' must be a list (one tensor) or an object of input name → nested list."],
  ["unreadable CSV", () => parseMlflowCsv(matrix, 'a,b,c\n1,"2,3'), "The CSV body could not be read: Quoted field unterminated (row 2)."],
  ["CSV without rows", () => parseMlflowCsv(matrix, "a,b,c"), "The CSV body needs a header row of column names and at least one data row."],
  // The Open Inference Protocol's body (protocols.ts).
  ["OIP body not an object", () => parseOipInfer(tensor, [1]), "The body must be a JSON object with 'inputs': [{name, shape, datatype, data}]."],
  ["OIP id", () => oip([oipTensor({})], { id: 5 }), "'id' must be a string."],
  ["OIP inputs empty", () => oip([]), "'inputs' must be a non-empty list of tensors {name, shape, datatype, data}."],
  ["OIP tensor without a name", () => oip([{ shape: [1] }]), "inputs[0] must be an object with a 'name'."],
  ["OIP unknown input", () => oip([oipTensor({ name: "pixels" })]), "Unexpected input 'pixels': the model takes 'input'."],
  ["OIP input twice", () => oip([oipTensor({}), oipTensor({})]), "Input 'input' is given twice."],
  ["OIP shape", () => oip([oipTensor({ shape: [1, -2] })]), "Input 'input': 'shape' must be a list of non-negative integers."],
  ["OIP datatype", () => oip([oipTensor({ datatype: "FP64" })]), `Input 'input' has datatype "FP64", but the model expects FP32.`],
  ["OIP no datatype", () => oip([oipTensor({ datatype: undefined })]), "Input 'input' has datatype undefined, but the model expects FP32."],
  ["OIP data", () => oip([oipTensor({ data: "1,2" })]), "Input 'input': 'data' must be a list of values (row-major)."],
  ["OIP missing inputs", () => parseOipInfer(typed, { inputs: [{ name: "age", shape: [1, 1], datatype: "INT32", data: [1] }] }), "Missing inputs 'name', 'flag', 'x'."],
  ["OIP outputs not a list", () => oip([oipTensor({})], { outputs: { name: "label" } }), "'outputs' must be a list of {name}."],
  ["OIP unknown output", () => oip([oipTensor({})], { outputs: [{ name: "label" }, { name: "scores" }] }), `outputs[1]: unknown output "scores"; the model has 'label', 'probabilities'.`],
  // The model reference, and onnxruntime's own refusal of an input.
  ["empty model name", () => parseModelReference(""), "The model name is empty: call /<model>, /<model>@<alias> or /<model>/<version>."],
  ["version not a number", () => parseModelReference("m/v2"), "'v2' is not a model version number."],
  [
    "onnxruntime refuses",
    () => {
      throw scoringRefusal("[ErrorCode:InvalidArgument] Got invalid dimensions for input: features for the following indices\n index: 1 Got: 4 Expected: 3");
    },
    "The model could not score this input: Got invalid dimensions for input: features for the following indices",
  ],
];

const FRENCH_CALLER = { method: "POST", headers: new Headers({ "accept-language": "fr-FR,fr;q=0.9" }) };
const ENGLISH_CALLER = { method: "POST", headers: new Headers({ "accept-language": "en-US,en;q=0.9" }) };

describe("serving's refusals of a request's layout, shapes and values", () => {
  it.each(cases)("%s: English unchanged, French from the serving table", async (_, call, english) => {
    const refusal = refusalOfCall(call);
    expect(refusal.code).toBe("BAD_REQUEST");
    expect(refusal.message).toBe(english);
    // The English catalogue says the message exactly: pages and the serving table agree with REST clients.
    expect(saidIn("en", refusal)).toBe(english);
    expect(await saidServingRefusal(ENGLISH_CALLER, refusal)).toEqual({ message: english, language: "en" });
    const french = await saidServingRefusal(FRENCH_CALLER, refusal);
    expect(french.language).toBe("fr");
    expect(french.message).toBe(saidIn("fr", refusal));
    expect(french.message).not.toBe(english);
  });

  it("say the values' places and kinds in French words, the request's own names and numbers as sent", async () => {
    const french = async (call: () => unknown) => (await saidServingRefusal(FRENCH_CALLER, refusalOfCall(call))).message;
    expect(await french(() => record({ flag: "yes" }))).toBe(frenchTypography(`Valeur refusée pour la colonne « flag » (ligne 1) : true ou false est attendu, reçu le texte "yes".`));
    expect(await french(() => record({ name: 5 }))).toBe(
      frenchTypography("Valeur refusée pour la colonne « name » (ligne 1) : du texte est attendu (l’entrée du modèle est un tenseur de chaînes), reçu le nombre 5."),
    );
    expect(await french(() => oip([oipTensor({ data: [1, null] })]))).toBe(
      frenchTypography(
        "Valeur manquante (null ou vide) pour la valeur 2 de l’entrée « input » : le modèle ne déclare pas gérer les valeurs manquantes, envoyez donc un nombre (ou enregistrez un modèle qui les impute, par exemple avec une étape Imputer, ou qui déclare la métadonnée handles_missing_values=true).",
      ),
    );
    expect(await french(() => parseMlflowJson(tensor, { instances: [[1, 2, 3]] }))).toBe(
      frenchTypography("Dans « instances », la forme [1, 3] a 3 à la dimension 1, mais l’entrée « input » du modèle a la forme [-1, 2]."),
    );
    expect(await french(() => parseMlflowJson(matrix, { inputs: [], dataframe_records: [], instances: [] }))).toBe(
      frenchTypography("Le corps a dataframe_records et instances et inputs ; envoyez exactement un champ parmi dataframe_split, dataframe_records, instances, inputs."),
    );
    expect(await french(() => parseMlflowJson(typed, { inputs: { age: [[1]], name: [["n"]], flag: [[true]] } }))).toBe(
      frenchTypography("Entrée manquante 'x' dans « inputs » : le modèle prend age, name, flag, x."),
    );
    expect(await french(() => record({ age: 3e9 }))).toBe(
      frenchTypography("Valeur hors limites pour la colonne « age » (ligne 1) : 3000000000 sort de l’intervalle de l’entrée int32 du modèle [-2147483648, 2147483647]."),
    );
    expect(await french(() => parseMlflowJson(wide, { dataframe_records: [{ c0: 1, colour: 2 }] }))).toBe(
      frenchTypography(`Colonne inconnue "colour" : le modèle prend ${wideKeys.slice(0, 12).join(", ")}, … (14 colonnes).`),
    );
  });

  it("keep a refusal English, said so, when its sentence is not in the serving table", async () => {
    const refusal = new DomainError("BAD_REQUEST", "An English-only refusal.", undefined, { code: "error.serving.not_a_sentence", params: {} } satisfies ServerSentence);
    expect(await saidServingRefusal(FRENCH_CALLER, refusal)).toEqual({ message: "An English-only refusal.", language: "en" });
  });
});

describe("the studio's generic refusals (toDomainError), as serving says them", () => {
  const holder = globalThis as unknown as { studioDatabaseUnavailableAt?: number };

  it("a database that cannot be reached, an unexpected error and an unvalidated body: English unchanged, French from the serving table", async () => {
    const before = holder.studioDatabaseUnavailableAt;
    const errorLog = console.error;
    const warnLog = console.warn;
    console.error = console.warn = () => undefined;
    try {
      const refusals = [
        [toDomainError(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })), 503, "The studio's database is unreachable at the moment (restarting or down); nothing was changed. Try again in a few seconds."],
        [toDomainError(new TypeError("x is undefined")), 500, "The server hit an unexpected error; it has been logged. Try again, and report it if it persists."],
        [toDomainError(z.object({ name: z.string() }).safeParse({ name: 5 }).error), 400, "Invalid request: 'name': Invalid input: expected string, received number"],
      ] as const;
      for (const [refusal, status, english] of refusals) {
        expect(refusal.httpStatus).toBe(status);
        expect(refusal.message).toBe(english);
        expect(saidIn("en", refusal)).toBe(english);
        expect(await saidServingRefusal(ENGLISH_CALLER, refusal)).toEqual({ message: english, language: "en" });
        expect(await saidServingRefusal(FRENCH_CALLER, refusal)).toEqual({ message: saidIn("fr", refusal), language: "fr" });
      }
      expect((await saidServingRefusal(FRENCH_CALLER, refusals[0][0])).message).toBe(
        frenchTypography("La base de données du studio est injoignable pour le moment (redémarrage ou panne) ; rien n’a été modifié. Réessayez dans quelques secondes."),
      );
    } finally {
      // toDomainError marks the database unreachable for the outage page: this process's database never was.
      holder.studioDatabaseUnavailableAt = before;
      console.error = errorLog;
      console.warn = warnLog;
    }
  });
});
