// The ONNX graph preview of a run's .onnx artifact or a registered version: the introspection (inputs, outputs,
// operator counts) plus the top-level nodes in graph order, each with what it reads and writes. Parsed on the server.
import { z } from "zod";
import { authorize } from "../auth/permissions";
import { normaliseArtifactPath } from "../artifacts/store";
import { invalidParameter } from "../errors";
import { sentence } from "@/lib/i18n/server-sentence";
import type { ServiceContext } from "../service-context";
import { artifactRootOf, getRun } from "../tracking/runs";
import { decodeOnnxModel, introspectOnnx, zOnnxIntrospection } from "./onnx-introspection";
import { maxModelBytes, readArtifactBytes, readModelVersionOnnx } from "./onnx-versions";

/** Nodes listed; a bigger graph (a deep network) lists the first ones and says how many more there are. */
export const GRAPH_PREVIEW_NODES = 300;

export const zOnnxGraphNode = z.object({
  name: z.string(),
  opType: z.string(),
  domain: z.string(),
  /** Value names the node reads; "" marks an omitted optional input. */
  inputs: z.array(z.string()),
  outputs: z.array(z.string()),
});

export const zOnnxGraphPreview = z.object({
  introspection: zOnnxIntrospection,
  nodes: z.array(zOnnxGraphNode),
  /** Top-level nodes in the graph (subgraph nodes of If/Loop are counted in introspection.nodeCount only). */
  topLevelNodeCount: z.number(),
  /** Names of the weights (initializers) among the nodes' inputs, so the list can tell weights from data. */
  weights: z.array(z.string()),
});
export type OnnxGraphPreview = z.infer<typeof zOnnxGraphPreview>;

export const zOnnxGraphSource = z.discriminatedUnion("source", [
  z.object({ source: z.literal("run"), runId: z.string().min(1).max(64), path: z.string().min(1).max(1000) }),
  /** A path in the artifact store, as the artifact proxy serves it (the run page knows a run's root, not its id). */
  z.object({ source: z.literal("artifact"), path: z.string().min(1).max(2000) }),
  z.object({ source: z.literal("version"), name: z.string().min(1).max(500), version: z.string().regex(/^\d+$/, "Version numbers are whole numbers") }),
]);
export type OnnxGraphSource = z.infer<typeof zOnnxGraphSource>;

export function describeOnnxGraph(bytes: Uint8Array, limit = GRAPH_PREVIEW_NODES): OnnxGraphPreview {
  const introspection = introspectOnnx(bytes, { maxBytes: maxModelBytes() });
  const graph = decodeOnnxModel(bytes, maxModelBytes()).graph;
  const nodes = graph.node.slice(0, limit).map((node, i) => ({
    name: node.name || `node ${i + 1}`,
    opType: node.opType ?? "",
    domain: node.domain || "ai.onnx",
    inputs: [...(node.input ?? [])],
    outputs: [...(node.output ?? [])],
  }));
  const read = new Set(nodes.flatMap((node) => node.inputs));
  const weights = graph.initializer.map((tensor) => tensor.name ?? "").filter((name) => read.has(name));
  return { introspection, nodes, topLevelNodeCount: graph.node.length, weights };
}

export async function previewOnnxGraph(ctx: ServiceContext, input: OnnxGraphSource): Promise<OnnxGraphPreview> {
  authorize(ctx.actor, "studio.read");
  if (input.source === "version") {
    const { bytes } = await readModelVersionOnnx(ctx, input.name, input.version);
    return describeOnnxGraph(bytes);
  }
  const path = normaliseArtifactPath(input.path);
  if (!path.toLowerCase().endsWith(".onnx")) throw invalidParameter(`'${input.path}' is not an .onnx file: only ONNX models have a graph preview.`, sentence("error.onnx.not_onnx_preview", { path: input.path }));
  // The same reach as the artifact proxy's download: any reader may read any artifact.
  if (input.source === "artifact") return describeOnnxGraph(await readArtifactBytes(ctx, path));
  const run = await getRun(ctx, input.runId);
  const root = artifactRootOf(run.info);
  if (root === null) throw invalidParameter(`Run ${input.runId} stores its artifacts outside the studio (${run.info.artifact_uri}); download the file to inspect it.`, sentence("error.onnx.artifacts_outside_preview", { runId: input.runId, uri: run.info.artifact_uri }));
  return describeOnnxGraph(await readArtifactBytes(ctx, root ? `${root}/${path}` : path));
}
