// The playground form posted before (or without) the page's JavaScript: the server reads the posted fields as the page
// renders them, answers as scikit-learn does, and refuses a bad value with its field's message (never a throw, so the
// page is rendered again with it, not a 500).
import { readFile } from "node:fs/promises";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readPredictions } from "@/components/playground/prediction-format";
import { playgroundFieldName } from "@/components/playground/form-field-name";
import type { Actor } from "../auth/actor";
import { createTestStudio, testBackends, type TestStudio } from "../testing/test-database";
import { frenchTypography, saidIn } from "../testing/said-error";
import { registerOnnxUpload } from "./onnx-versions";
import { getModelVersionDetail } from "./model-versions";
import { playgroundPageData, playgroundTrainingProfile, scorePlaygroundForm } from "./playground-form";
import { zModelVersionDetail } from "./schema";

const root = path.join(import.meta.dirname, "../..");
const viewer: Actor = { userId: "u-viewer", username: "vera", role: "viewer", via: "session" };
const labeller: Actor = { userId: "u-labeller", username: "lou", role: "labeller", via: "session" };

async function testRecords(csv: string, rows: number): Promise<Record<string, string>[]> {
  return Papa.parse<Record<string, string>>(await readFile(path.join(root, csv), "utf8"), { header: true, skipEmptyLines: true }).data.slice(0, rows);
}

/** The form as the browser posts it: the model's hidden fields and one text value per field. */
function postedForm(name: string, version: string, fields: Record<string, string>): FormData {
  const form = new FormData();
  form.set("model", name);
  form.set("modelVersion", version);
  for (const [key, value] of Object.entries(fields)) form.set(playgroundFieldName(key), value);
  return form;
}

describe.each(testBackends)("the playground form posted to the server, %s", (backend) => {
  let studio: TestStudio;

  beforeAll(async () => {
    studio = await createTestStudio(backend);
    await registerOnnxUpload(studio, { name: "iris", bytes: new Uint8Array(await readFile(path.join(root, "fixtures/models/iris-logreg.onnx"))) });
    await registerOnnxUpload(studio, { name: "credit", bytes: new Uint8Array(await readFile(path.join(root, "fixtures/models/credit-logreg.onnx"))) });
  });
  afterAll(async () => studio.close());

  it("answers iris's test rows (a [1,4] matrix, fields x0…x3) as scikit-learn does", async () => {
    const expected = JSON.parse(await readFile(path.join(root, "fixtures/models/iris-logreg.expected.json"), "utf8")) as { label: number[] };
    for (const [i, record] of (await testRecords("fixtures/datasets/iris.test.csv", 4)).entries()) {
      const fields = Object.fromEntries(Object.values(record).slice(0, 4).map((value, column) => [`x${column}`, value]));
      const state = await scorePlaygroundForm(studio.as(viewer), postedForm("iris", "1", fields));
      expect(state.error).toBeNull();
      expect(state.fieldErrors).toEqual({});
      expect(readPredictions(state.prediction!.outputs)[0]!.label).toBe(expected.label[i]);
      expect(state.row).toEqual(Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, Number(value)])));
    }
  });

  it("answers credit's rows (one input per column, numbers and text posted as written) as scikit-learn does", async () => {
    const expected = JSON.parse(await readFile(path.join(root, "fixtures/models/credit-logreg.expected.json"), "utf8")) as { label: number[] };
    const sidecar = JSON.parse(await readFile(path.join(root, "fixtures/models/credit-logreg.model.json"), "utf8")) as { feature_columns: string[] };
    for (const [i, record] of (await testRecords("fixtures/datasets/credit.test.csv", 4)).entries()) {
      const fields = Object.fromEntries(sidecar.feature_columns.map((column) => [column, record[column]!]));
      const state = await scorePlaygroundForm(studio.as(viewer), postedForm("credit", "1", fields));
      expect(state.error).toBeNull();
      expect(readPredictions(state.prediction!.outputs)[0]!.label).toBe(expected.label[i]);
    }
  });

  it("refuses a value that is not a number with that field's message, keeping the rest of the row", async () => {
    for (const bad of ["", "abc", "1e999"]) {
      const state = await scorePlaygroundForm(studio.as(viewer), postedForm("iris", "1", { x0: "5.1", x1: bad, x2: "1.4", x3: "0.2" }));
      expect(state.prediction).toBeNull();
      expect(state.error).toBeNull();
      expect(state.fieldErrors).toEqual({ x1: '"x1" must be a number.' });
      expect(state.row).toMatchObject({ x0: 5.1, x2: 1.4, x3: 0.2 });
    }
    const missing = await scorePlaygroundForm(studio.as(viewer), postedForm("iris", "1", { x0: "5.1", x1: "3.5", x2: "1.4" }));
    expect(missing.fieldErrors).toEqual({ x3: '"x3" must be a number.' });
    // Said by the page in the reader's language: the catalogue's English is the message itself.
    const x3 = { message: missing.fieldErrors.x3!, sentence: missing.fieldSentences?.x3 };
    expect(saidIn("en", x3)).toBe(x3.message);
    expect(saidIn("fr", x3)).toBe(frenchTypography("« x3 » doit être un nombre."));
  });

  it("gives the page the version as its query reads it, its digest and training profile, and nothing it may not read", async () => {
    const data = await playgroundPageData(studio.as(viewer), "iris", "1");
    const detail = zModelVersionDetail.parse(await getModelVersionDetail(studio.as(viewer), "iris", "1"));
    expect(data.detail).toEqual(detail);
    expect(data.digest).toBe(detail.model_digest);
    expect(data.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(data.trainingProfile).toEqual(await playgroundTrainingProfile(studio.as(viewer), detail.lineage));
    for (const [actor, version] of [[viewer, "9"], [viewer, "v1"], [labeller, "1"]] as const) {
      expect(await playgroundPageData(studio.as(actor), "iris", version)).toEqual({ detail: null, digest: null, trainingProfile: undefined });
    }
  });

  it("needs the playground's own permission, and names the version it could not find", async () => {
    const fields = { x0: "5.1", x1: "3.5", x2: "1.4", x3: "0.2" };
    const refused = await scorePlaygroundForm(studio.as(labeller), postedForm("iris", "1", fields));
    expect(refused.prediction).toBeNull();
    expect(refused.error).toMatch(/Permission denied/);
    expect(saidIn("fr", { message: refused.error!, sentence: refused.errorSentence ?? undefined })).toBe(
      frenchTypography(
        "Permission refusée : « lou » a le rôle « labeller », qui ne permet pas de lire les expériences, exécutions, jeux de données, modèles, revues et déploiements. Demandez à un administrateur un rôle qui le permet.",
      ),
    );
    const absent = await scorePlaygroundForm(studio.as(viewer), postedForm("iris", "9", fields));
    expect(absent.prediction).toBeNull();
    expect(absent.error).toMatch(/iris/);
    const unnamed = await scorePlaygroundForm(studio.as(viewer), postedForm("iris", "v1", fields));
    expect(unnamed.error).toMatch(/does not name a model version/);
    expect(saidIn("fr", { message: unnamed.error!, sentence: unnamed.errorSentence ?? undefined })).toBe(
      frenchTypography("Le formulaire ne nomme pas de version de modèle : rechargez le bac à sable et réessayez."),
    );
  });
});
