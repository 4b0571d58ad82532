// The playground's server-side rows (onnxruntime-node while the browser's runtime loads): the same answers as the
// browser's onnxruntime-web and scikit-learn, the playground's permission, and clear refusals of rows that do not fit.
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as ortWeb from "onnxruntime-web";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPredictions } from "@/components/playground/prediction-format";
import { feedsFromRows, planModelInputs, rowFromCsvRecord, type Feeds, type ModelInputInfo } from "@/lib/model-inputs";
import { fromOrtOutputs, plainFeeds, toOrtFeeds } from "@/lib/ort-plain-tensors";
import type { Actor } from "../auth/actor";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { introspectOnnx } from "./onnx-introspection";
import { registerOnnxUpload } from "./onnx-versions";
import { isDomainError } from "../errors";
import { saidIn } from "../testing/said-error";
import { preparePlaygroundServerSession, scorePlaygroundRow, tensorsForRow, zPlaygroundRowRequest, type PlaygroundRowRequest } from "./playground-scoring";

const root = path.join(import.meta.dirname, "../..");
const viewer: Actor = { userId: "u-viewer", username: "vera", role: "viewer", via: "session" };
const labeller: Actor = { userId: "u-labeller", username: "lou", role: "labeller", via: "session" };

interface Fixture {
  bytes: Uint8Array;
  /** One-row feeds of the test split's first rows, as the playground builds them. */
  rows: Feeds[];
  expected: { label: number[]; probabilities: number[][] };
}

async function fixture(model: string, testCsv: string, rows: number): Promise<Fixture> {
  const bytes = new Uint8Array(await readFile(path.join(root, "fixtures/models", `${model}.onnx`)));
  const sidecar = JSON.parse(await readFile(path.join(root, "fixtures/models", `${model}.model.json`), "utf8")) as { feature_columns: string[] };
  const { inputs } = introspectOnnx(bytes);
  const plan = planModelInputs(inputs, { featureNames: sidecar.feature_columns });
  const records = Papa.parse<Record<string, string>>(await readFile(path.join(root, testCsv), "utf8"), { header: true, skipEmptyLines: true }).data.slice(0, rows);
  return {
    bytes,
    rows: records.map((record, i) => feedsFromRows(plan, inputs, [rowFromCsvRecord(plan, record, i + 1)])),
    expected: JSON.parse(await readFile(path.join(root, "fixtures/models", `${model}.expected.json`), "utf8")),
  };
}

/** What the page's own onnxruntime-web answers for the same row. */
async function browserAnswer(bytes: Uint8Array, feeds: Feeds) {
  const session = await ortWeb.InferenceSession.create(bytes, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
  try {
    return readPredictions(fromOrtOutputs((await session.run(toOrtFeeds(ortWeb, feeds))) as unknown as Record<string, ortWeb.Tensor>))[0]!;
  } finally {
    await session.release();
  }
}

describe.each(testBackends)("playground rows scored on the server, %s", (backend) => {
  let studio: TestStudio;
  let iris: Fixture;
  let credit: Fixture;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    iris = await fixture("iris-logreg", "fixtures/datasets/iris.test.csv", 6);
    credit = await fixture("credit-logreg", "fixtures/datasets/credit.test.csv", 6);
    await registerOnnxUpload(studio, { name: "iris", bytes: iris.bytes });
    await registerOnnxUpload(studio, { name: "credit", bytes: credit.bytes });
  });
  afterAll(async () => studio.close());

  it.each([
    ["iris", () => iris],
    ["credit", () => credit],
  ])("answers %s's rows as scikit-learn and the browser's onnxruntime-web do", async (name, get) => {
    const { bytes, rows, expected } = get();
    await preparePlaygroundServerSession(studio.as(viewer), name, "1");
    for (const [row, feeds] of rows.entries()) {
      const request = zPlaygroundRowRequest.parse({ name, version: "1", feeds: plainFeeds(feeds) });
      const result = await scorePlaygroundRow(studio.as(viewer), request);
      const [server] = readPredictions(result.outputs);
      expect(server!.label).toBe(expected.label[row]);
      server!.probabilities!.forEach((p, c) => expect(Math.abs(p - expected.probabilities[row]![c]!)).toBeLessThan(1e-5));
      const browser = await browserAnswer(bytes, feeds);
      expect(server!.label).toBe(browser.label);
      server!.probabilities!.forEach((p, c) => expect(Math.abs(p - browser.probabilities![c]!)).toBeLessThan(1e-6));
      expect(result.runMs).toBeGreaterThanOrEqual(0);
    }
  });

  it("needs the playground's own permission (reading models)", async () => {
    const feeds = plainFeeds(iris.rows[0]!);
    await expect(scorePlaygroundRow(studio.as(labeller), { name: "iris", version: "1", feeds })).rejects.toThrow(/Permission denied/);
  });

  it("refuses a version that does not exist", async () => {
    const feeds = plainFeeds(iris.rows[0]!);
    await expect(scorePlaygroundRow(studio.as(viewer), { name: "iris", version: "9", feeds })).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
    await expect(scorePlaygroundRow(studio.as(viewer), { name: "nope", version: "1", feeds })).rejects.toMatchObject({ code: "RESOURCE_DOES_NOT_EXIST" });
  });

  it("refuses rows that do not fit the model's inputs, saying what to fix", async () => {
    const [inputName, feed] = Object.entries(plainFeeds(iris.rows[0]!))[0]!;
    const refuse = (feeds: unknown) => scorePlaygroundRow(studio.as(viewer), zPlaygroundRowRequest.parse({ name: "iris", version: "1", feeds }));
    await expect(refuse({ [inputName]: feed, other: feed })).rejects.toThrow(/no input 'other'/);
    await expect(refuse({})).rejects.toThrow(new RegExp(`Input '${inputName}' is missing`));
    await expect(refuse({ [inputName]: { ...feed, type: "float64" } })).rejects.toThrow(/takes float32 values, not float64/);
    await expect(refuse({ [inputName]: { ...feed, data: (feed.data as number[]).slice(1) } })).rejects.toThrow(/holds 4 values, but 3 were sent/);
    await expect(refuse({ [inputName]: { ...feed, dims: [2, 4], data: [...(feed.data as number[]), ...(feed.data as number[])] } })).rejects.toThrow(/holds 2 rows/);
    await expect(refuse({ [inputName]: { ...feed, data: ["1", "2", "3", "4"] } })).rejects.toThrow(/takes numbers only/);
    // JSON has no NaN or Infinity, and a missing value must not reach the model as one: zod refuses it first.
    expect(zPlaygroundRowRequest.safeParse({ name: "iris", version: "1", feeds: { [inputName]: { ...feed, data: [Infinity, 1, 2, 3] } } }).success).toBe(false);
    expect(zPlaygroundRowRequest.safeParse({ name: "iris", version: "v1", feeds: { [inputName]: feed } }).success).toBe(false);
  });
});

describe("playground row refusals in the reader's language", () => {
  /** French as written here, with the non-breaking spaces French typography puts before « : ; ? ! » and inside « ». */
  const fr = (text: string) => text.replace(/ ([:;?!»])/g, "\u00a0$1").replaceAll("« ", "«\u00a0");
  const input = (name: string, elementType: string): ModelInputInfo => ({ name, elementType, shape: [1, 2], kind: "tensor" });
  const row = (type: string, data: (number | string)[], dims = [1, data.length]) => ({ type, dims, data }) as PlaygroundRowRequest["feeds"][string];

  it("say each refused row in English word for word, and in French with French numbers", () => {
    const cases: [() => unknown, string][] = [
      [() => tensorsForRow([input("x", "float32")], { x: row("float32", [1, 2]), y: row("float32", [1]) }), "Le modèle n’a pas d’entrée 'y' ; ses entrées sont 'x'."],
      [() => tensorsForRow([input("x", "float32")], {}), "L’entrée « x » manque : donnez une valeur à chaque entrée du modèle."],
      [() => tensorsForRow([input("x", "float32")], { x: row("float64", [1, 2]) }), "L’entrée « x » prend des valeurs float32, pas float64."],
      [() => tensorsForRow([input("x", "float32")], { x: row("float32", [1, 2, 3], [1, 2]) }), "Entrée « x » : la forme [1, 2] contient 2 valeurs, mais 3 ont été envoyées."],
      [
        () => tensorsForRow([input("x", "float32")], { x: row("float32", [1, 2, 3, 4], [2, 2]) }),
        "L’entrée « x » contient 2 lignes ; le serveur évalue une ligne à la fois (les lots s’exécutent dans le navigateur).",
      ],
      [
        () => tensorsForRow([input("x", "float32")], { x: row("float32", new Array<number>(1_000_001).fill(0)) }),
        "La ligne contient plus de 1\u202f000\u202f000 valeurs ; attendez que le moteur du navigateur soit prêt pour l’évaluer.",
      ],
      [() => tensorsForRow([input("x", "float32")], { x: row("float32", [1, "2"]) }), "L’entrée « x » ne prend que des nombres."],
      [() => tensorsForRow([input("x", "string")], { x: row("string", ["a", 2]) }), "L’entrée « x » ne prend que du texte."],
      [() => tensorsForRow([input("x", "int32")], { x: row("int32", [1, 2 ** 31]) }), "L’entrée « x » prend des nombres entiers sur 32 bits."],
      [() => tensorsForRow([input("x", "int64")], { x: row("int64", [1, 0.5]) }), "L’entrée « x » prend des nombres entiers (2^53 au plus en valeur absolue)."],
      [() => tensorsForRow([input("x", "bool")], { x: row("bool", [1, 2]) }), "L’entrée « x » prend 0 ou 1 (faux ou vrai)."],
    ];
    for (const [check, french] of cases) {
      let error: unknown = null;
      try {
        check();
      } catch (thrown) {
        error = thrown;
      }
      if (!isDomainError(error)) throw new Error(`expected a refusal for: ${french}`);
      expect(error.code).toBe("INVALID_PARAMETER_VALUE");
      expect(saidIn("en", error)).toBe(error.message);
      expect(saidIn("fr", error)).toBe(fr(french));
    }
  });
});
