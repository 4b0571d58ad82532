// The evaluation behind an acceptance report: score a model version on a dataset version with onnxruntime-node,
// then metrics, fairness, robustness, permutation importance and edge cases (math in lib/).
// CONTRACT STUB — implemented by the evaluator work; the signature is fixed (the review job relies on it).
import type { OnnxIntrospection } from "../registry/onnx-introspection";
import { DomainError } from "../errors";
import type { EvaluationReport } from "./schema";

export interface EvaluateModelInput {
  onnx: Uint8Array;
  modelDigest: string;
  introspection: OnnxIntrospection;
  /** Absolute path of the dataset version's stored file and its format. */
  datasetPath: string;
  datasetFormat: "csv" | "parquet";
  datasetDigest: string;
  labelColumn: string;
  sensitiveAttributes: string[];
  /** Seed of noise, missing values and permutation shuffles (default 42): same inputs → same report. */
  seed?: number;
  /** Called with 0–1 and the part being computed, for the job's progress bar. */
  onProgress?: (fraction: number, stage: string) => void;
}

/** The evaluator's version, stored with every report (bump when a change alters any number). */
export const EVALUATOR_VERSION = "1";

export async function evaluateModel(_input: EvaluateModelInput): Promise<EvaluationReport> {
  throw new DomainError("NOT_IMPLEMENTED", "The evaluator is not implemented yet.");
}
