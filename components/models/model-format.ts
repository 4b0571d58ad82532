// How the model pages name, link and summarise registry data: hrefs, first lines, tensor shapes, operator bars, lineage parsing.
import { zModelLineage, type ModelLineage } from "@/server/registry/schema";

export const modelHref = (name: string) => `/models/${encodeURIComponent(name)}`;
export const modelVersionHref = (name: string, version: string | number) => `${modelHref(name)}/versions/${encodeURIComponent(String(version))}`;
export const playgroundHref = (name: string, version: string | number) => `${modelVersionHref(name, version)}/playground`;
export const onnxDownloadHref = (name: string, version: string | number) =>
  `/api/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(String(version))}/model.onnx`;
export const runHref = (experimentId: string, runId: string) => `/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}`;
export const datasetVersionHref = (name: string, version: number) => `/datasets/${encodeURIComponent(name)}/versions/${version}`;

/** "[N, 4]" with "?" for a free dimension; an unknown rank and a scalar said in words. */
export function formatTensorShape(shape: readonly (number | string | null)[] | null): string {
  if (shape === null) return "unknown shape";
  if (shape.length === 0) return "scalar";
  return `[${shape.map((dim) => (dim === null ? "?" : String(dim))).join(", ")}]`;
}

/** The newest of the versions given (MLflow's latest_versions holds one per stage), by version number. */
export function newestVersion<T extends { version: string }>(versions: readonly T[]): T | null {
  let newest: T | null = null;
  for (const version of versions) {
    if (newest === null || Number(version.version) > Number(newest.version)) newest = version;
  }
  return newest;
}

export type OperatorBar = { label: string; count: number; percentOfMax: number };

/** Operators as bars scaled to the most used one; the default ONNX domain is written "ai.onnx". */
export function operatorBars(operators: readonly { domain: string; opType: string; count: number }[]): OperatorBar[] {
  const max = Math.max(0, ...operators.map((operator) => operator.count));
  return operators.map((operator) => ({
    label: operator.domain && operator.domain !== "ai.onnx" ? `${operator.domain}.${operator.opType}` : operator.opType,
    count: operator.count,
    percentOfMax: max > 0 ? Math.round((operator.count / max) * 1000) / 10 : 0,
  }));
}

export const modelStageChoices = ["None", "Staging", "Production", "Archived"] as const;
export type ModelStageChoice = (typeof modelStageChoices)[number];

/** MLflow only archives the other versions of a stage when moving into Staging or Production. */
export function stageOffersArchiving(stage: string): boolean {
  return stage === "Staging" || stage === "Production";
}

/** Aliases of one version, from the model's alias list. */
export function aliasesOfVersion(aliases: readonly { alias: string; version: string }[], version: string): string[] {
  return aliases.filter((entry) => entry.version === version).map((entry) => entry.alias);
}

// The lineage a version records at registration (see the registry contract); parsed defensively because the
// column is JSON and older versions may lack fields.


export function parseModelLineage(value: unknown): ModelLineage | null {
  if (value === null || typeof value !== "object") return null;
  const parsed = zModelLineage.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** How a derivation is said on the page; unknown transforms are shown by their name. */
export function describeTransform(transform: string): string {
  return transform === "remove-zipmap" ? "ZipMap removed (probabilities tensor as output)" : transform;
}
