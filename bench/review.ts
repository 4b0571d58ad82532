// bench/review: the full acceptance-review evaluation of breast-cancer-rf-v1 on 100,000 rows resampled (seeded) from its
// test split, part by part, next to plain onnxruntime-node scoring of the same rows once in the same run.
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { seededRandom } from "@/lib/seeded-random";
import { introspectOnnx } from "@/server/registry/onnx-introspection";
import { evaluateModel, IMPORTANCE_SAMPLE_ROWS } from "@/server/review/evaluate";
import { formatNumber, type BenchRow } from "./stats";

const MODEL = "fixtures/models/breast-cancer-rf-v1.onnx";
const SOURCE = "fixtures/datasets/breast_cancer.test.csv";
const ROWS = 100_000;
const TARGET_SECONDS = 10;
const parts = ["load", "predict", "metrics", "fairness", "robustness", "importance", "edge_cases", "explanations"] as const;

/** ROWS data lines drawn with replacement (seeded) from the test split, under its header. */
function resampledCsv(): { csv: string; matrix: Float32Array; width: number; features: string[] } {
  const [header, ...lines] = readFileSync(SOURCE, "utf8").trim().split("\n");
  const random = seededRandom(7);
  const picked = Array.from({ length: ROWS }, () => lines[Math.floor(random() * lines.length)]);
  const width = header.split(",").length - 1;
  const matrix = new Float32Array(ROWS * width);
  picked.forEach((line, row) => line.split(",").slice(0, width).forEach((cell, column) => (matrix[row * width + column] = Number(cell))));
  return { csv: `${header}\n${picked.join("\n")}\n`, matrix, width, features: header.split(",").slice(0, width) };
}

/** Plain ORT: load the model and score the 100,000 rows once from a prebuilt tensor. */
async function plainScoring(bytes: Uint8Array, matrix: Float32Array, width: number): Promise<number> {
  const start = performance.now();
  const session = await ort.InferenceSession.create(bytes);
  await session.run({ input: new ort.Tensor("float32", matrix, [ROWS, width]) });
  const ms = performance.now() - start;
  await session.release();
  return ms;
}

export async function benchReview(): Promise<BenchRow[]> {
  const bytes = new Uint8Array(readFileSync(MODEL));
  const { csv, matrix, width, features } = resampledCsv();
  const directory = await mkdtemp(path.join(os.tmpdir(), "studio-bench-review-"));
  try {
    const datasetPath = path.join(directory, "breast_cancer_100k.csv");
    await writeFile(datasetPath, csv);
    console.log("[bench] review: plain onnxruntime-node scoring of the 100,000 rows…");
    const baselineMs = await plainScoring(bytes, matrix, width);
    console.log("[bench] review: full evaluation…");
    const start = performance.now();
    const report = await evaluateModel({
      onnx: bytes,
      modelDigest: "bench",
      introspection: introspectOnnx(bytes),
      datasetPath,
      datasetFormat: "csv",
      datasetDigest: "bench",
      labelColumn: "malignant",
      sensitiveAttributes: [],
      // The fixture's feature columns in training order: the bare ONNX file names none of its 30 columns.
      columnOrder: features,
      seed: 42,
    });
    const totalMs = performance.now() - start;
    const row = (measure: string, ms: number, target = "—", verdict = "—"): BenchRow => ({
      backend: "node",
      measure,
      studio: formatNumber(ms / 1000, 2),
      baseline: formatNumber(baselineMs / 1000, 2),
      ratio: `${(ms / baselineMs).toFixed(1)}×`,
      target,
      verdict,
    });
    return [
      row(
        `full evaluation, s (${report.rowCount.toLocaleString("en-US")} rows × ${report.features.length} features; importance: ${report.importance.repeats} repeats on a ${IMPORTANCE_SAMPLE_ROWS.toLocaleString("en-US")}-row sample; ${report.edgeCases.length} edge cases)`,
        totalMs,
        `≤ ${TARGET_SECONDS} s`,
        totalMs <= TARGET_SECONDS * 1000 ? "met" : "MISSED",
      ),
      ...parts.map((part) => row(`  ${part}, s`, report.timings[part] ?? 0)),
    ];
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
