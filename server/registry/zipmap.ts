// Derives a model without scikit-learn's ZipMap node, so JavaScript ONNX runtimes get a probabilities tensor instead of a sequence of maps.
import type { onnx } from "onnx-proto";
import { invalidParameter } from "@/server/errors";
import { sentence } from "@/lib/i18n/server-sentence";
import { decodeOnnxModel, onnxProtobuf, type DecodedGraph } from "@/server/registry/onnx-introspection";

export type ZipMapRemoval = { node: string; replacedOutput: string; newOutput: string };

/**
 * Drops every ai.onnx.ml ZipMap node: the tensor it consumed (the [N, n_classes] probabilities) becomes the graph
 * output in the ZipMap output's place, named `probabilities` when that name is free. Nodes left without a consumer
 * and initializers left unused are dropped. The label output is untouched.
 */
export function removeZipMap(bytes: Uint8Array): { bytes: Uint8Array; removed: ZipMapRemoval[] } {
  const model = decodeOnnxModel(bytes);
  const graph = model.graph;
  const zipMaps = graph.node.filter((node) => node.opType === "ZipMap" && node.domain === "ai.onnx.ml");
  if (zipMaps.length === 0) {
    throw invalidParameter(
      "The model has no ZipMap node, so there is nothing to remove; its outputs can already be used as they are.",
      sentence("error.zipmap.none"),
    );
  }

  const usedNames = new Set<string>();
  for (const node of graph.node) for (const name of [...node.input, ...node.output]) usedNames.add(name);
  for (const value of [...graph.input, ...graph.output, ...graph.valueInfo]) usedNames.add(value.name ?? "");
  for (const tensor of graph.initializer) usedNames.add(tensor.name ?? "");

  const removed: ZipMapRemoval[] = [];
  for (const zipMap of zipMaps) {
    const replacedOutput = zipMap.output[0];
    const outputIndex = graph.output.findIndex((value) => value.name === replacedOutput);
    if (outputIndex < 0) {
      throw invalidParameter(
        `ZipMap node '${zipMap.name}' feeds other nodes rather than a graph output; only a final ZipMap (as scikit-learn exports it) can be removed.`,
        sentence("error.zipmap.not_final", { node: zipMap.name ?? "" }),
      );
    }
    const classCount = zipMapClassCount(zipMap);
    const valueType = graph.output[outputIndex].type?.sequenceType?.elemType?.mapType?.valueType?.tensorType?.elemType;

    let newOutput = zipMap.input[0];
    const preferred = uniqueName("probabilities", usedNames);
    // Renaming is only safe for a tensor made inside the graph; a graph input or initializer keeps its name.
    const madeByNode = graph.node.some((node) => node !== zipMap && node.output.includes(newOutput));
    const isGraphOutput = graph.output.some((value) => value.name === newOutput);
    if (newOutput !== "probabilities" && madeByNode && !isGraphOutput) {
      renameTensor(graph, newOutput, preferred);
      usedNames.add(preferred);
      newOutput = preferred;
    }
    graph.node.splice(graph.node.indexOf(zipMap), 1);
    if (isGraphOutput) {
      // The probabilities were already an output too: drop the map output rather than list the tensor twice.
      graph.output.splice(outputIndex, 1);
      removed.push({ node: zipMap.name || "ZipMap", replacedOutput, newOutput });
      continue;
    }
    graph.output[outputIndex] = onnxProtobuf.ValueInfoProto.create({
      name: newOutput,
      docString: "Class probabilities, one column per class (was a ZipMap sequence of maps).",
      type: {
        tensorType: {
          elemType: valueType || onnxProtobuf.TensorProto.DataType.FLOAT,
          shape: { dim: [batchDimension(graph), { dimValue: classCount }] },
        },
      },
    });
    removed.push({ node: zipMap.name || "ZipMap", replacedOutput, newOutput });
  }

  dropUnusedNodes(graph);
  return { bytes: onnxProtobuf.ModelProto.encode(model as onnx.IModelProto).finish(), removed };
}

function zipMapClassCount(node: onnx.INodeProto): number {
  for (const attribute of node.attribute ?? []) {
    if (attribute.name === "classlabels_int64s") return attribute.ints?.length ?? 0;
    if (attribute.name === "classlabels_strings") return attribute.strings?.length ?? 0;
  }
  throw invalidParameter(
    `ZipMap node '${node.name}' has neither classlabels_int64s nor classlabels_strings, so the number of classes is unknown.`,
    sentence("error.zipmap.no_class_labels", { node: node.name ?? "" }),
  );
}

/** The first graph input's first dimension is the batch; reuse it (a dim_param or a free dimension). */
function batchDimension(graph: DecodedGraph): onnx.TensorShapeProto.IDimension {
  const first = graph.input?.[0]?.type?.tensorType?.shape?.dim?.[0];
  if (first?.dimParam) return { dimParam: first.dimParam };
  return {};
}

function uniqueName(base: string, used: Set<string>): string {
  if (!used.has(base)) return base;
  for (let suffix = 1; ; suffix += 1) if (!used.has(`${base}_${suffix}`)) return `${base}_${suffix}`;
}

function renameTensor(graph: DecodedGraph, from: string, to: string): void {
  for (const node of graph.node) {
    node.input = node.input.map((name) => (name === from ? to : name));
    node.output = node.output.map((name) => (name === from ? to : name));
  }
  for (const value of graph.valueInfo) if (value.name === from) value.name = to;
}

/** Removes nodes none of whose outputs reach a graph output, repeatedly, then initializers no node reads. */
function dropUnusedNodes(graph: DecodedGraph): void {
  const nodes = graph.node;
  for (let changed = true; changed; ) {
    changed = false;
    const needed = new Set(graph.output.map((value) => value.name ?? ""));
    for (const node of nodes) for (const name of node.input ?? []) needed.add(name);
    for (let index = nodes.length - 1; index >= 0; index -= 1) {
      if (!(nodes[index].output ?? []).some((name) => needed.has(name))) {
        nodes.splice(index, 1);
        changed = true;
      }
    }
  }
  const read = new Set<string>();
  for (const node of nodes) for (const name of node.input ?? []) read.add(name);
  // Before IR 4 initializers are also listed as graph inputs; keep those so the inputs stay consistent.
  for (const value of graph.input ?? []) read.add(value.name ?? "");
  graph.initializer = graph.initializer.filter((tensor) => read.has(tensor.name ?? ""));
  graph.valueInfo = graph.valueInfo.filter((value) => read.has(value.name ?? ""));
}
