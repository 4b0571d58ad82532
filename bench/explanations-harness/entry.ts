// Browser side of bench/explanations: onnxruntime-web (wasm, as the playground) and lib/shapley in one page; the
// bench calls window.benchExplanations and reads back the timings.
import * as ort from "onnxruntime-web/wasm";
import { shapleyValues, type FeatureBatch } from "@/lib/shapley";

interface BenchInput {
  background: number[][];
  row: number[];
  maxModelRows: number;
  runs: number;
}

async function benchExplanations(input: BenchInput) {
  ort.env.wasm.wasmPaths = "/ort/";
  // As the playground's worker: threads only when the page is cross-origin isolated, at most 4.
  ort.env.wasm.numThreads = self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency)) : 1;
  const session = await ort.InferenceSession.create("/model.onnx");
  const width = input.row.length;
  let modelRows = 0;
  const predict = async (batch: FeatureBatch) => {
    modelRows += batch.rowCount;
    const data = new Float32Array(batch.rowCount * width);
    batch.columns.forEach((column, j) => {
      for (let r = 0; r < batch.rowCount; r += 1) data[r * width + j] = column[r] as number;
    });
    const outputs = await session.run({ input: new ort.Tensor("float32", data, [batch.rowCount, width]) }, ["probabilities"]);
    const probabilities = outputs.probabilities.data as Float32Array;
    return Array.from({ length: batch.rowCount }, (_, r) => probabilities[r * 2 + 1]);
  };
  const one = new ort.Tensor("float32", Float32Array.from(input.row), [1, width]);
  for (let i = 0; i < 50; i += 1) await session.run({ input: one });
  const single: number[] = [];
  for (let i = 0; i < 500; i += 1) {
    const start = performance.now();
    await session.run({ input: one });
    single.push(performance.now() - start);
  }
  for (let i = 0; i < 2; i += 1) await shapleyValues(input.row, { background: input.background, predict, maxModelRows: input.maxModelRows });
  const explain: number[] = [];
  let sumError = 0;
  for (let i = 0; i < input.runs; i += 1) {
    modelRows = 0;
    const start = performance.now();
    const result = await shapleyValues(input.row, { background: input.background, predict, maxModelRows: input.maxModelRows, seed: i });
    explain.push(performance.now() - start);
    sumError = Math.max(sumError, Math.abs(result.contributions.reduce((a, b) => a + b, 0) - (result.output - result.baseValue)));
  }
  await session.release();
  return { single, explain, modelRows, sumError, threads: ort.env.wasm.numThreads, isolated: self.crossOriginIsolated };
}

(globalThis as unknown as { benchExplanations: typeof benchExplanations }).benchExplanations = benchExplanations;
