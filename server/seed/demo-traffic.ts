// Demo production traffic: the breast-cancer test split served as one-row requests over the past hours, first as it
// is ("stable"), then with mean_radius, mean_texture and worst_concavity shifted (the drift fixture), with ground
// truth fed back for the last hour, so the monitoring page shows real drift on the right features and a live metric.
import { readFile } from "node:fs/promises";
import path from "node:path";
import Papa from "papaparse";
import * as ort from "onnxruntime-node";
import { inferenceFeedback, inferenceLog } from "@/db/schema";
import type { ServiceContext } from "../service-context";
import { findRegisteredModel, findVersionByAlias } from "../registry/model-versions";
import { getMonitoringView } from "../monitoring/monitoring";

const HOUR = 3_600_000;
const MODEL = "breast-cancer-rf";
const LABEL = "malignant";

/** Hours before the current one, oldest first, and the file each replays. */
const SCHEDULE: { hoursAgo: number; file: string }[] = [
  { hoursAgo: 5, file: "breast_cancer.production-stable.csv" },
  { hoursAgo: 4, file: "breast_cancer.production-stable.csv" },
  { hoursAgo: 3, file: "breast_cancer.production-stable.csv" },
  { hoursAgo: 2, file: "breast_cancer.production-drifted.csv" },
  { hoursAgo: 1, file: "breast_cancer.production-drifted.csv" },
];

async function readRows(fixturesDir: string, file: string): Promise<{ features: string[]; rows: Record<string, number>[] }> {
  const text = await readFile(path.join(/* turbopackIgnore: true */ fixturesDir, "datasets", file), "utf8");
  const parsed = Papa.parse<Record<string, number>>(text, { header: true, dynamicTyping: true, skipEmptyLines: true });
  return { features: (parsed.meta.fields ?? []).filter((f) => f !== LABEL), rows: parsed.data };
}

export async function seedDemoTraffic(
  ctx: ServiceContext,
  fixturesDir: string,
  datasetRoot: string,
  now: number,
): Promise<{ requests: number; feedback: number }> {
  const model = await findRegisteredModel(ctx.db, MODEL);
  const production = await findVersionByAlias(ctx.db, MODEL, "production");
  // Production is v1, whose bytes are the fixture's champion model.
  const session = await ort.InferenceSession.create(new Uint8Array(await readFile(path.join(/* turbopackIgnore: true */ fixturesDir, "models", "breast-cancer-rf-v1.onnx"))));
  const currentHour = Math.floor(now / HOUR) * HOUR;
  let requests = 0;
  let feedback = 0;
  for (const { hoursAgo, file } of SCHEDULE) {
    const { features, rows } = await readRows(fixturesDir, file);
    const input = new Float32Array(rows.length * features.length);
    rows.forEach((row, r) => features.forEach((feature, c) => (input[r * features.length + c] = row[feature])));
    const output = await session.run({ input: new ort.Tensor("float32", input, [rows.length, features.length]) });
    const labels = Array.from(output.label.data as BigInt64Array, Number);
    const start = currentHour - hoursAgo * HOUR;
    const entries = rows.map((row, r) => ({
      modelId: model.modelId,
      versionId: production.versionId,
      requestId: `demo-${hoursAgo}h-${r}`,
      // Spread over the hour, never past its end.
      at: start + Math.floor((r * HOUR) / (rows.length + 1)),
      latencyMs: 0.6 + ((r * 37) % 23) / 10,
      rowCount: 1,
      inputs: Object.fromEntries(features.map((feature) => [feature, [row[feature]]])),
      predictions: [labels[r]],
      protocol: "mlflow",
    }));
    await ctx.db.insert(inferenceLog).values(entries);
    requests += entries.length;
    if (hoursAgo === 1) {
      await ctx.db.insert(inferenceFeedback).values(
        rows.map((row, r) => ({ modelId: model.modelId, requestId: entries[r].requestId, rowIndex: 0, label: row[LABEL], at: start + HOUR - 1 })),
      );
      feedback += rows.length;
    }
  }
  await session.release();
  // The models list and model page show the drift flag from the first visit, before anyone opens monitoring.
  await getMonitoringView(ctx, { name: MODEL, window: "hour" }, datasetRoot);
  return { requests, feedback };
}
