// Demo models: the random-forest runs' ONNX artifacts as champion and challenger, and the other fixture models as uploads.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ServiceContext } from "../service-context";
import { setModelAlias, updateRegisteredModel } from "../registry/registered-models";
import { deriveVersionWithoutZipMap, registerOnnxFromRun, registerOnnxUpload } from "../registry/onnx-versions";

const uploads: { model: string; name: string; description: string }[] = [
  { model: "iris-logreg", name: "iris-logreg", description: "Logistic regression on **Iris** (3 classes, 4 numeric features)." },
  {
    model: "credit-logreg",
    name: "credit-logreg",
    description: "Credit approval: scaler + one-hot (`sex`, `purpose`, `housing` as **string** inputs) + logistic regression. Trained on data with a planted bias against women.",
  },
  { model: "diabetes-ridge", name: "diabetes-ridge", description: "Ridge regression of diabetes **progression** from 10 unscaled features." },
  { model: "digits-mlp", name: "digits-mlp", description: "Small MLP on 8×8 **digits** (64 pixel inputs, 10 classes)." },
  {
    model: "iris-logreg-zipmap",
    name: "iris-logreg-zipmap",
    description: "scikit-learn's default export: probabilities as a **sequence of maps** (ZipMap), which JavaScript runtimes cannot run. Version 2 is derived without it.",
  },
];

/**
 * Registers the demo's models. `modelRuns` are the breast-cancer runs that carry an ONNX artifact
 * (v1 first), so those versions get lineage to their run, its metrics and its training dataset.
 */
export async function seedDemoModels(ctx: ServiceContext, fixturesDir: string, modelRuns: { model: string; runId: string }[]): Promise<number> {
  let versions = 0;
  const forest = [...modelRuns].sort((a, b) => a.model.localeCompare(b.model));
  for (const run of forest) {
    await registerOnnxFromRun(ctx, { name: "breast-cancer-rf", runId: run.runId, artifactPath: "model/model.onnx", description: `From the demo run's \`model/model.onnx\` (${run.model}).` });
    versions++;
  }
  if (forest.length >= 2) {
    await updateRegisteredModel(ctx, { name: "breast-cancer-rf", description: "Random forest on the **Wisconsin diagnostic breast cancer** data: v1 is the champion, v2 the challenger." });
    await setModelAlias(ctx, { name: "breast-cancer-rf", alias: "champion", version: "1" });
    await setModelAlias(ctx, { name: "breast-cancer-rf", alias: "challenger", version: "2" });
  }
  for (const upload of uploads) {
    const bytes = new Uint8Array(await readFile(path.join(fixturesDir, "models", `${upload.model}.onnx`)));
    await registerOnnxUpload(ctx, { name: upload.name, bytes });
    await updateRegisteredModel(ctx, { name: upload.name, description: upload.description });
    versions++;
  }
  await deriveVersionWithoutZipMap(ctx, { name: "iris-logreg-zipmap", version: "1" });
  return versions + 1;
}
