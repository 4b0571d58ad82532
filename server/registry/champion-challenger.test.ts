// Champion vs challenger on an uploaded labelled CSV, with the fixtures' real models and files, messy ones included.
import { createReadStream, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../auth/actor";
import { registerDatasetVersion } from "../datasets/register-version";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { compareVersionsOnCsv, parseLabelledCsv } from "./champion-challenger";
import { handleChampionChallenger } from "./champion-challenger-http";
import { registerOnnxUpload } from "./onnx-versions";
import { isDomainError, type DomainError } from "../errors";
import { expectSaidInFrench, refusalOf } from "../testing/said-error";

const fixtures = path.join(import.meta.dirname, "../../fixtures");
const editor: Actor = { userId: "u-erin", username: "erin", role: "editor", via: "session" };
const viewer: Actor = { userId: "u-vera", username: "vera", role: "viewer", via: "session" };
const model = (name: string) => new Uint8Array(readFileSync(path.join(fixtures, "models", `${name}.onnx`)));
const csv = (name: string) => readFileSync(path.join(fixtures, "datasets", name), "utf8");

/** The CSV with its columns in another order (the label first, features reversed). */
function reordered(text: string, label: string): string {
  const rows = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const columns = [label, ...rows.meta.fields!.filter((name) => name !== label).reverse()];
  return Papa.unparse({ fields: columns, data: rows.data.map((row) => columns.map((name) => row[name])) });
}

describe("parseLabelledCsv", () => {
  it("keeps every cell as written (no type sniffing), empty cells as missing, and refuses duplicate or overlong rows", () => {
    const columns = parseLabelledCsv("\uFEFFa,flag,y\n007,TRUE,1\n,false,\n");
    expect(columns).toEqual([
      { name: "a", values: ["007", null] },
      { name: "flag", values: ["TRUE", "false"] },
      { name: "y", values: ["1", null] },
    ]);
    expect(() => parseLabelledCsv("a,a\n1,2\n")).toThrow(/names the column 'a' twice/);
    expect(() => parseLabelledCsv("a,b\n1,2,3\n")).toThrow(/Row 1 has 3 fields but the header names 2/);
    expect(() => parseLabelledCsv("a,b\n")).toThrow(/no rows to score/);
  });

  it("says each refused file in English word for word, and in French", () => {
    const cases: [string, string][] = [
      ["", "Le fichier est vide : envoyez un CSV avec une ligne d’en-tête et des lignes étiquetées."],
      ["a,a\n1,2\n", "L’en-tête nomme deux fois la colonne « a » ; donnez à chaque colonne son propre nom."],
      ["a,b\n", "Le fichier a un en-tête mais aucune ligne à évaluer."],
      ["a,b\n1,2\n1,2,3\n", "La ligne 2 a 3 champs, mais l’en-tête en nomme 2 ; corrigez la ligne ou l’en-tête."],
    ];
    for (const [text, french] of cases) expectSaidInFrench(refusalOfParse(text), french);
  });
});

function refusalOfParse(text: string): DomainError {
  try {
    parseLabelledCsv(text);
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe.each(testBackends)("champion vs challenger on %s", (backend) => {
  let studio: TestStudio;
  let root: string;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    root = await mkdtemp(path.join(os.tmpdir(), "studio-champion-"));
    const as = studio.as(editor);
    // The forests take one [N,30] matrix: its column names come from the training dataset in their lineage.
    const train = await registerDatasetVersion(
      as,
      root,
      { name: "breast-cancer", format: "csv", masking: {}, labelColumn: "malignant" },
      createReadStream(path.join(fixtures, "datasets/breast_cancer.train.csv")),
      { profileLater: true },
    );
    const lineage = {
      datasets: [
        {
          name: "breast-cancer",
          digest: train.version.digest,
          context: "training",
          registry: { datasetName: "breast-cancer", version: train.version.version, qualityStatus: "none", qualityReason: null },
        },
      ],
    };
    await registerOnnxUpload(as, { name: "rf", bytes: model("breast-cancer-rf-v1"), lineage });
    await registerOnnxUpload(as, { name: "rf", bytes: model("breast-cancer-rf-v2"), lineage });
    // credit-logreg takes one input per column, text for its categories.
    await registerOnnxUpload(as, { name: "credit", bytes: model("credit-logreg") });
    await registerOnnxUpload(as, { name: "credit", bytes: model("credit-logreg") });
    const diabetes = await registerDatasetVersion(
      as,
      root,
      { name: "diabetes", format: "csv", masking: {}, labelColumn: "progression" },
      createReadStream(path.join(fixtures, "datasets/diabetes.train.csv")),
      { profileLater: true },
    );
    const ridgeLineage = {
      datasets: [{ name: "diabetes", digest: diabetes.version.digest, context: "training", registry: { datasetName: "diabetes", version: diabetes.version.version, qualityStatus: "none", qualityReason: null } }],
    };
    await registerOnnxUpload(as, { name: "ridge", bytes: model("diabetes-ridge"), lineage: ridgeLineage });
    await registerOnnxUpload(as, { name: "ridge", bytes: model("diabetes-ridge"), lineage: ridgeLineage });
  });
  afterAll(async () => {
    await studio.close();
    await rm(root, { recursive: true, force: true });
  });

  it("scores two forests on the test file: agreement, each one's accuracy, the disagreements, and a results file keeping the label", async () => {
    const text = csv("breast_cancer.test.csv");
    const report = await compareVersionsOnCsv(studio.as(viewer), { name: "rf", champion: "1", challenger: "2", labelColumn: "malignant" }, text);
    // scikit-learn's own test metrics of each forest, recorded when the fixtures were exported.
    const sidecar = (version: string) => JSON.parse(readFileSync(path.join(fixtures, `models/breast-cancer-rf-v${version}.model.json`), "utf8")).test_metrics;
    expect(report.task).toBe("binary");
    expect(report.fileRows).toBe(143);
    expect(report.comparedRows).toBe(143);
    expect(report.agreeing + report.disagreementCount).toBe(143);
    expect(report.agreementRate).toBeCloseTo(report.agreeing / 143, 12);
    expect(report.versions.map((side) => [side.role, side.version, side.metrics.map((metric) => metric.name)])).toEqual([
      ["champion", "1", ["accuracy", "macro_f1"]],
      ["challenger", "2", ["accuracy", "macro_f1"]],
    ]);
    for (const side of report.versions) {
      expect(side.metrics[0].value).toBeCloseTo(sidecar(side.version).accuracy, 6);
      expect(side.metrics[1].value).toBeCloseTo(sidecar(side.version).f1_macro, 6);
    }
    for (const row of report.disagreements) expect(row.champion).not.toBe(row.challenger);

    // Same report with the columns in another order.
    const shuffled = await compareVersionsOnCsv(studio.as(viewer), { name: "rf", champion: "1", challenger: "2", labelColumn: "malignant" }, reordered(text, "malignant"));
    expect(shuffled.versions).toEqual(report.versions);
    expect(shuffled.agreeing).toBe(report.agreeing);

    const results = Papa.parse<Record<string, string>>(report.resultsCsv, { header: true, skipEmptyLines: true });
    expect(results.meta.fields!.slice(-4)).toEqual(["malignant", "v1_prediction", "v2_prediction", "agree"]);
    expect(results.data).toHaveLength(143);
    const original = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
    expect(results.data.map((row) => row.malignant)).toEqual(original.map((row) => row.malignant));
    expect(results.data.filter((row) => row.agree === "no")).toHaveLength(report.disagreementCount);
  });

  it("copes with a messy file: columns reordered, missing values, a boolean-looking label and category", async () => {
    const rows = Papa.parse<Record<string, string>>(csv("credit.test.csv"), { header: true, skipEmptyLines: true }).data.slice(0, 200);
    rows[0].age = "";
    rows[1].approved = "";
    rows[2].housing = "TRUE";
    rows.forEach((row, i) => {
      if (i > 2) row.approved = row.approved === "1" ? "true" : "False";
    });
    const fields = ["approved", "housing", "purpose", "sex", "age", "income", "employment_years", "loan_amount", "duration_months", "existing_credits"];
    const messy = Papa.unparse({ fields, data: rows.map((row) => fields.map((field) => row[field])) });
    const report = await compareVersionsOnCsv(studio.as(viewer), { name: "credit", champion: "1", challenger: "2", labelColumn: "approved" }, messy);
    expect(report.fileRows).toBe(200);
    expect(report.missingLabelRows).toBe(1);
    // A missing age reaches the scaler as NaN: that row has no prediction and is said to be left out, not a failure.
    expect(report.unscoredRows).toBe(1);
    expect(report.comparedRows).toBe(198);
    // Identical bytes on both sides: they agree on every row.
    expect(report.agreementRate).toBe(1);
    expect(report.disagreements).toEqual([]);
    expect(report.versions[0].metrics[0].value).toBeGreaterThan(0.5);
    expect(report.notes.join(" ")).toMatch(/no label .*1 of 200/);
    expect(report.notes.join(" ")).toMatch(/returned no number .*1 of 200/);
    const results = Papa.parse<string[]>(report.resultsCsv, { skipEmptyLines: true }).data;
    expect(results[0]).toEqual([...fields, "v1_prediction", "v2_prediction", "agree"]);
    expect(results[1][0]).toBe("1");
    expect(results[1].slice(-3)).toEqual(["", "", ""]);
    expect(results[3][1]).toBe("TRUE");
  });

  it("compares regressors by RMSE, MAE and R²", async () => {
    const report = await compareVersionsOnCsv(studio.as(viewer), { name: "ridge", champion: "2", challenger: "1", labelColumn: "progression" }, csv("diabetes.test.csv"));
    expect(report.task).toBe("regression");
    expect(report.versions[0].metrics.map((metric) => metric.name)).toEqual(["rmse", "mae", "r2"]);
    expect(report.versions[0].metrics[0].value).toBeGreaterThan(10);
    expect(report.agreementRate).toBe(1);
    expect(report.agreementRule).toMatch(/1% of the labels' range/);
  });

  it("says the comparison's refusals in English word for word, and in French", async () => {
    const compare = (name: string, champion: string, challenger: string, labelColumn: string, text: string) =>
      refusalOf(compareVersionsOnCsv(studio.as(viewer), { name, champion, challenger, labelColumn }, text));
    const cases: [Promise<DomainError>, string][] = [
      [compare("credit", "1", "1", "approved", "approved\n1\n"), "Choisissez deux versions différentes : les deux côtés sont la version 1."],
      [compare("credit", "1", "2", "outcome", "approved,age\n1,30\n"), "Le fichier n’a pas de colonne « outcome » ; ses colonnes sont 'approved', 'age'. Nommez la colonne qui contient le vrai résultat."],
      [
        compare("credit", "1", "2", "approved", csv("credit.test.csv").replace(/,1\n/, ",maybe\n")),
        "Colonne « approved », ligne 1 : « maybe » n’est pas une des classes des modèles (0, 1) ; vérifiez la colonne des étiquettes.",
      ],
      [
        compare("ridge", "1", "2", "progression", csv("diabetes.test.csv").replace(/,219\.0\n/, ",high\n")),
        "Colonne « progression », ligne 1 : « high » n’est pas un nombre, or les modèles sont des régresseurs : l’étiquette doit être numérique.",
      ],
      // The evaluator's refusal, said for the version it concerns.
      [
        compare("credit", "1", "2", "approved", "approved,age\n1,30\n"),
        "Version 1 : Les entrées du modèle 'sex', 'income', 'employment_years', 'loan_amount', 'duration_months', 'purpose', 'housing', 'existing_credits' ne sont pas des colonnes du jeu de données (ses colonnes : 'approved', 'age') ; évaluez sur un jeu de données avec une colonne par entrée du modèle, nommée comme l’entrée.",
      ],
    ];
    for (const [outcome, french] of cases) expectSaidInFrench(await outcome, french);
  });

  it("answers over HTTP: 200 with the report, 400 saying what to fix", async () => {
    const post = async (query: string, body: string) => {
      const response = await handleChampionChallenger(new Request(`http://studio.test/api/models/compare?${query}`, { method: "POST", body }), async () => studio.as(viewer));
      return { status: response.status, body: (await response.json()) as { message?: string; agreementRate?: number } };
    };
    const ok = await post("name=rf&champion=1&challenger=2&label=malignant", csv("breast_cancer.test.csv"));
    expect(ok.status).toBe(200);
    expect(ok.body.agreementRate).toBeGreaterThan(0.5);
    const bad = [
      ["name=rf&champion=1&challenger=2&label=outcome", csv("breast_cancer.test.csv"), /no column 'outcome'; its columns are 'mean_radius'/],
      ["name=rf&champion=1&challenger=1&label=malignant", csv("breast_cancer.test.csv"), /two different versions/],
      ["name=rf&champion=1&challenger=two&label=malignant", csv("breast_cancer.test.csv"), /whole numbers/],
      ["name=rf&champion=1&challenger=2&label=", csv("breast_cancer.test.csv"), /column holding the true outcome/],
      ["name=credit&champion=1&challenger=2&label=approved", "approved,age\n1,30\n", /^Version 1: .*not columns of the dataset/],
      ["name=credit&champion=1&challenger=2&label=approved", csv("credit.test.csv").replace(/,1\n/, ",maybe\n"), /holds 'maybe', which is not one of the models' classes/],
    ] as const;
    for (const [query, body, message] of bad) {
      const answer = await post(query, body);
      expect(answer.status, query).toBe(400);
      expect(answer.body.message).toMatch(message);
    }
    expect((await post("name=rf&champion=1&challenger=9&label=malignant", csv("breast_cancer.test.csv"))).status).toBe(404);
  });
});
