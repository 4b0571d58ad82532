// Playground fields and ORT feeds from the fixture models' declared inputs (iris: one [N,4] matrix; credit: one input per column, some text).
import { readFileSync } from "node:fs";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { frenchTypography, saidIn } from "@/server/testing/said-error";
import {
  defaultInputRow,
  extraCsvColumns,
  feedsFromRows,
  inputRowSchema,
  missingCsvColumns,
  ModelInputError,
  parseInputJson,
  planModelInputs,
  rowFromCsvRecord,
  withConfirmedColumns,
  type ModelInputInfo,
} from "./model-inputs";

interface Sidecar {
  inputs: { name: string; kind: "tensor"; dtype: string; shape: (number | null)[] }[];
  feature_columns: string[];
}

// The sidecar writes ONNX's C type names; the registry's introspection (and so the page) uses ORT's tensor type names.
const ortTypeOf: Record<string, string> = { float: "float32", double: "float64", string: "string", int64: "int64" };

function fixture(name: string): { inputs: ModelInputInfo[]; sidecar: Sidecar } {
  const sidecar = JSON.parse(readFileSync(`fixtures/models/${name}.model.json`, "utf8")) as Sidecar;
  const inputs = sidecar.inputs.map((input) => ({ name: input.name, kind: input.kind, elementType: ortTypeOf[input.dtype], shape: input.shape }));
  return { inputs, sidecar };
}

function csvRecords(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(readFileSync(file, "utf8"), { header: true, skipEmptyLines: true }).data;
}

describe("iris-logreg: one [N,4] float input", () => {
  const { inputs, sidecar } = fixture("iris-logreg");

  it("asks for the four training columns, in order, when the lineage knows them", () => {
    const plan = planModelInputs(inputs, { featureNames: sidecar.feature_columns });
    expect(plan.layout).toBe("matrix");
    expect(plan.problems).toEqual([]);
    expect(plan.fields.map((f) => [f.key, f.inputName, f.column, f.valueType])).toEqual(
      sidecar.feature_columns.map((name, i) => [name, "input", i, "number"]),
    );
  });

  it("falls back to x0…x3 without names, or when the names do not match the width", () => {
    expect(planModelInputs(inputs).fields.map((f) => f.key)).toEqual(["x0", "x1", "x2", "x3"]);
    expect(planModelInputs(inputs, { featureNames: ["a", "b"] }).fields.map((f) => f.key)).toEqual(["x0", "x1", "x2", "x3"]);
  });

  it("builds one [N,4] float32 tensor from CSV rows, row-major", () => {
    const plan = planModelInputs(inputs, { featureNames: sidecar.feature_columns });
    const records = csvRecords("fixtures/datasets/iris.test.csv").slice(0, 3);
    const rows = records.map((record, i) => rowFromCsvRecord(plan, record, i + 1));
    const feeds = feedsFromRows(plan, inputs, rows);
    expect(Object.keys(feeds)).toEqual(["input"]);
    expect(feeds.input.type).toBe("float32");
    expect(feeds.input.dims).toEqual([3, 4]);
    const expected = records.flatMap((record) => sidecar.feature_columns.map((column) => Math.fround(Number(record[column]))));
    expect(Array.from(feeds.input.data as Float32Array)).toEqual(expected);
  });

  it("uses profile ranges for defaults and validates JSON rows", () => {
    const plan = planModelInputs(inputs, {
      featureNames: sidecar.feature_columns,
      profiles: { sepal_length_cm: { min: 4, max: 8, mean: null, categories: null }, petal_width_cm: { min: 0, max: 2, mean: 1.25, categories: null } },
    });
    const row = defaultInputRow(plan);
    expect(row).toEqual({ sepal_length_cm: 6, sepal_width_cm: 0, petal_length_cm: 0, petal_width_cm: 1.25 });
    const schema = inputRowSchema(plan);
    expect(schema.safeParse(row).success).toBe(true);
    const wrong = schema.safeParse({ ...row, sepal_width_cm: "wide", extra: 1 });
    expect(wrong.success).toBe(false);
    const paths = wrong.error!.issues.map((issue) => issue.path.join(".") || issue.code);
    expect(paths).toContain("sepal_width_cm");
    expect(paths.some((p) => p === "unrecognized_keys")).toBe(true);
  });

  it("names the row and column of a value that is not a number", () => {
    const plan = planModelInputs(inputs, { featureNames: sidecar.feature_columns });
    const record = { sepal_length_cm: "5.1", sepal_width_cm: "abc", petal_length_cm: "1", petal_width_cm: "0.2" };
    expect(() => rowFromCsvRecord(plan, record, 7)).toThrow('Row 7, column "sepal_width_cm": "abc" is not a number.');
    expect(missingCsvColumns(plan, ["sepal_length_cm", "species"])).toEqual(["sepal_width_cm", "petal_length_cm", "petal_width_cm"]);
  });
});

describe("credit-logreg: one [N,1] input per column, three of them text", () => {
  const { inputs, sidecar } = fixture("credit-logreg");

  it("asks for one field per input, text fields for string inputs, with categories when profiled", () => {
    const plan = planModelInputs(inputs, { profiles: { housing: { min: null, max: null, mean: null, categories: ["own", "rent", "free"] } } });
    expect(plan.layout).toBe("columns");
    expect(plan.problems).toEqual([]);
    expect(plan.fields.map((f) => f.key)).toEqual(sidecar.feature_columns);
    expect(plan.fields.filter((f) => f.valueType === "string").map((f) => f.key)).toEqual(["sex", "purpose", "housing"]);
    expect(plan.fields.find((f) => f.key === "housing")!.options).toEqual(["own", "rent", "free"]);
    expect(defaultInputRow(plan).housing).toBe("own");
  });

  it("builds one [N,1] tensor per input: float32 numbers and string texts", () => {
    const plan = planModelInputs(inputs);
    const records = csvRecords("fixtures/datasets/credit.test.csv").slice(0, 2);
    const feeds = feedsFromRows(plan, inputs, records.map((record, i) => rowFromCsvRecord(plan, record, i + 1)));
    expect(Object.keys(feeds)).toEqual(sidecar.inputs.map((input) => input.name));
    expect(feeds.sex).toEqual({ type: "string", data: records.map((r) => r.sex), dims: [2, 1] });
    expect(feeds.age.type).toBe("float32");
    expect(feeds.age.dims).toEqual([2, 1]);
    expect(Array.from(feeds.age.data as Float32Array)).toEqual(records.map((r) => Number(r.age)));
  });

  it("refuses an empty batch and a row missing a field", () => {
    const plan = planModelInputs(inputs);
    expect(() => feedsFromRows(plan, inputs, [])).toThrow(ModelInputError);
    const row = defaultInputRow(plan);
    delete row.income;
    expect(() => feedsFromRows(plan, inputs, [row])).toThrow('Row 1 has no value for "income".');
  });
});

describe("inputs the playground cannot feed", () => {
  it("names sequence inputs, unknown element types and fixed batch sizes", () => {
    const plan = planModelInputs([
      { name: "seq", kind: "sequence", elementType: "undefined", shape: null },
      { name: "half", kind: "tensor", elementType: "float16", shape: [null, 1] },
      { name: "fixed", kind: "tensor", elementType: "float32", shape: [8, 1] },
    ]);
    expect(plan.problems).toHaveLength(3);
    expect(plan.problems.join(" ")).toMatch(/"seq" is a sequence.*"half" holds float16.*"fixed" has a fixed batch size of 8/);
  });

  it("builds int64 inputs as BigInt64Array", () => {
    const inputs: ModelInputInfo[] = [{ name: "count", kind: "tensor", elementType: "int64", shape: [null, 1] }];
    const plan = planModelInputs(inputs);
    const feeds = feedsFromRows(plan, inputs, [{ count: 3 }, { count: 4.6 }]);
    expect(feeds.count).toEqual({ type: "int64", data: BigInt64Array.from([3n, 5n]), dims: [2, 1] });
  });

  it("fills int32, float64 and bool inputs row by row, and names the row that lacks a value", () => {
    const inputs: ModelInputInfo[] = [
      { name: "n", kind: "tensor", elementType: "int32", shape: [null, 1] },
      { name: "x", kind: "tensor", elementType: "float64", shape: [null, 1] },
      { name: "on", kind: "tensor", elementType: "bool", shape: [null, 1] },
    ];
    const plan = planModelInputs(inputs);
    const feeds = feedsFromRows(plan, inputs, [
      { n: 1.4, x: 0.1, on: true },
      { n: "2.6", x: "1e-300", on: false },
      { n: -3, x: "", on: 1 },
    ]);
    expect(feeds.n).toEqual({ type: "int32", data: Int32Array.of(1, 3, -3), dims: [3, 1] });
    expect(feeds.x).toEqual({ type: "float64", data: Float64Array.of(0.1, 1e-300, Number.NaN), dims: [3, 1] });
    expect(feeds.on).toEqual({ type: "bool", data: Uint8Array.of(1, 0, 1), dims: [3, 1] });
    expect(() => feedsFromRows(plan, inputs, [{ n: 1, x: 1, on: true }, { n: 1, on: true }])).toThrow('Row 2 has no value for "x".');
    expect(() => feedsFromRows(plan, inputs, [{ n: "two", x: 1, on: true }])).toThrow('"n" must be a number, not "two".');
  });
});

describe("parseInputJson", () => {
  const { inputs } = fixture("credit-logreg");
  const plan = planModelInputs(inputs);

  it("returns the row when every field has the right kind of value", () => {
    const row = defaultInputRow(plan);
    expect(parseInputJson(plan, JSON.stringify(row, null, 2))).toEqual({ row, problems: [] });
  });

  it("words each problem for the user and places it on its line", () => {
    const row: Record<string, unknown> = { ...defaultInputRow(plan), age: "forty", color: "red" };
    delete row.sex;
    const text = JSON.stringify(row, null, 2);
    const { problems } = parseInputJson(plan, text);
    const lines = text.split("\n");
    const byMessage = Object.fromEntries(problems.map((p) => [p.message, p.line]));
    expect(lines[byMessage['"age" must be a number.']! - 1]).toContain('"age"');
    expect(byMessage['"sex" is missing; give it text.']).toBeNull();
    const unknown = problems.find((p) => p.message.startsWith('Unknown field "color"'))!;
    expect(lines[unknown.line! - 1]).toContain('"color"');
  });

  it("says when the text is not JSON", () => {
    const { problems } = parseInputJson(plan, '{"age": 3,,}');
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toMatch(/^Not valid JSON: /);
  });
});

describe("CSV rows reach the model as written", () => {
  it("gives text inputs the text exactly (yes, 007, 1.50, 2024-01, NA) and refuses what a number or boolean input cannot take", () => {
    const { inputs } = fixture("credit-logreg");
    const plan = planModelInputs(inputs);
    const base = { age: "40", income: "30000", employment_years: "2", loan_amount: "5000", duration_months: "12", existing_credits: "1" };
    for (const text of ["yes", "TRUE", "007", "1.50", "2024-01", "NA"]) {
      expect(rowFromCsvRecord(plan, { ...base, sex: text, purpose: text, housing: text }, 1)).toMatchObject({ sex: text, purpose: text, housing: text });
    }
    expect(() => rowFromCsvRecord(plan, { ...base, income: "0x10", sex: "F", purpose: "car", housing: "own" }, 4)).toThrow('Row 4, column "income": "0x10" is not a number.');
    const flag = planModelInputs([{ name: "flag", kind: "tensor", elementType: "bool", shape: [null, 1] }]);
    expect(rowFromCsvRecord(flag, { flag: "TRUE" }, 1)).toEqual({ flag: true });
    expect(() => rowFromCsvRecord(flag, { flag: "yes" }, 2)).toThrow('Row 2, column "flag": "yes" is not true/false or 1/0.');
  });
});

describe("digits-mlp: a [N,64] matrix whose columns may be unnamed", () => {
  const { inputs, sidecar } = fixture("digits-mlp");

  it("marks a matrix without names, and takes a confirmed order of the file's columns (px0…px63) as its keys", () => {
    const named = planModelInputs(inputs, { featureNames: sidecar.feature_columns });
    expect(named.unnamed).toBe(false);
    const unnamed = planModelInputs(inputs);
    expect(unnamed.unnamed).toBe(true);
    const records = csvRecords("fixtures/datasets/digits.test.csv").slice(0, 2);
    expect(missingCsvColumns(unnamed, Object.keys(records[0]))).toHaveLength(64);
    const confirmed = withConfirmedColumns(unnamed, sidecar.feature_columns);
    expect(missingCsvColumns(confirmed, Object.keys(records[0]))).toEqual([]);
    expect(extraCsvColumns(confirmed, Object.keys(records[0]))).toEqual(["digit"]);
    const viaConfirmed = feedsFromRows(confirmed, inputs, records.map((record, i) => rowFromCsvRecord(confirmed, record, i + 1)));
    const viaNames = feedsFromRows(named, inputs, records.map((record, i) => rowFromCsvRecord(named, record, i + 1)));
    expect(viaConfirmed).toEqual(viaNames);
  });
});

/** The ModelInputError a call throws (fails the test when it returns, or throws anything else). */
function inputErrorOf(call: () => unknown): ModelInputError {
  try {
    call();
  } catch (error) {
    if (error instanceof ModelInputError) return error;
    throw error;
  }
  throw new Error("expected a ModelInputError");
}

/** Said from its sentence, English is exactly the message (what the server's refusals and older pages show). */
function expectSaid(problem: { message: string; sentence?: Parameters<typeof saidIn>[1]["sentence"] }, french: string): void {
  expect(problem.sentence, problem.message).toBeDefined();
  expect(saidIn("en", problem)).toBe(problem.message);
  expect(saidIn("fr", problem)).toBe(frenchTypography(french));
}

describe("model-input problems in the reader's language", () => {
  const { inputs } = fixture("credit-logreg");
  const plan = planModelInputs(inputs);

  it("says a plan's problems, one sentence per problem, and the refusal that lists them", () => {
    const unfit = planModelInputs([
      { name: "seq", kind: "sequence", elementType: "undefined", shape: null },
      { name: "half", kind: "tensor", elementType: "float16", shape: [null, 1] },
      { name: "fixed", kind: "tensor", elementType: "float32", shape: [8, 1] },
      { name: "cube", kind: "tensor", elementType: "float32", shape: [null, 2, 2] },
    ]);
    expect(unfit.problemSentences).toHaveLength(unfit.problems.length);
    const french = [
      "L’entrée « seq » est une séquence, pas un tenseur ; le bac à sable ne fournit que des tenseurs.",
      "L’entrée « half » contient des valeurs float16, que le bac à sable ne sait pas encore construire.",
      "L’entrée « fixed » a une taille de lot fixe de 8 ; exportez le modèle avec une première dimension libre.",
      "L’entrée « cube » a 3 dimensions ; le bac à sable remplit des entrées [N] ou [N,1] par colonne.",
    ];
    unfit.problems.forEach((message, i) => expectSaid({ message, sentence: unfit.problemSentences![i] }, french[i]));
    const refusal = inputErrorOf(() => feedsFromRows(unfit, [], [{}]));
    expect(saidIn("fr", refusal)).toBe(french.map(frenchTypography).join("\u00a0; "));
    const sideBySide = planModelInputs([
      { name: "a", kind: "tensor", elementType: "float32", shape: [null, 3] },
      { name: "b", kind: "tensor", elementType: "float32", shape: [null, 1] },
    ]);
    expectSaid({ message: sideBySide.problems[0], sentence: sideBySide.problemSentences![0] }, "L’entrée « a » a la forme [, 3] ; avec plusieurs entrées, chacune doit être une colonne ([N,1]).");
  });

  it("says a CSV row's refused values and missing columns", () => {
    const base = { age: "40", income: "30000", employment_years: "2", loan_amount: "5000", duration_months: "12", existing_credits: "1", sex: "F", purpose: "car", housing: "own" };
    expectSaid(inputErrorOf(() => rowFromCsvRecord(plan, { ...base, income: "0x10" }, 4)), "Ligne 4, colonne « income » : « 0x10 » n’est pas un nombre.");
    const noAge: Record<string, string> = { ...base };
    delete noAge.age;
    expectSaid(inputErrorOf(() => rowFromCsvRecord(plan, noAge, 2)), "La ligne 2 n’a pas de colonne « age ».");
    const flag = planModelInputs([{ name: "flag", kind: "tensor", elementType: "bool", shape: [null, 1] }]);
    expectSaid(inputErrorOf(() => rowFromCsvRecord(flag, { flag: "yes" }, 2)), "Ligne 2, colonne « flag » : « yes » n’est ni true/false ni 1/0.");
    expectSaid(inputErrorOf(() => feedsFromRows(plan, inputs, [])), "Il n’y a aucune ligne à calculer.");
    expectSaid(inputErrorOf(() => feedsFromRows(plan, inputs, [{ ...defaultInputRow(plan), age: "forty" }])), "« age » doit être un nombre, pas « forty ».");
    const { inputs: digits } = fixture("digits-mlp");
    expectSaid(inputErrorOf(() => withConfirmedColumns(planModelInputs(digits), ["a", "b"])), "Le modèle prend 64 colonnes ; 2 ont été confirmées.");
  });

  it("says the JSON view's problems, each field's expected kind included", () => {
    const row: Record<string, unknown> = { ...defaultInputRow(plan), age: "forty", color: "red", shade: "dark" };
    delete row.sex;
    const { problems } = parseInputJson(plan, JSON.stringify(row, null, 2));
    const byMessage = new Map(problems.map((p) => [p.message, p]));
    expectSaid(byMessage.get('"age" must be a number.')!, "« age » doit être un nombre.");
    expectSaid(byMessage.get('"sex" is missing; give it text.')!, "« sex » manque ; donnez-lui du texte.");
    const unknown = problems.find((p) => p.message.startsWith("Unknown fields"))!;
    expectSaid(unknown, `Champs inconnus "color", "shade" : le modèle prend ${plan.fields.map((f) => f.key).join(", ")}.`);
    expectSaid(parseInputJson(plan, "[1]").problems[0], "Les entrées doivent être un seul objet JSON avec une valeur par champ.");
    const notJson = parseInputJson(plan, '{"age": 3,,}').problems[0];
    expect(saidIn("fr", notJson)).toBe(`JSON non valide\u00a0: ${notJson.message.slice("Not valid JSON: ".length)}`);
  });
});
