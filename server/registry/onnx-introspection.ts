// Reads an ONNX file's protobuf into the registry's summary: inputs/outputs, opsets, operators, initializer size, ZipMap.
import onnxProto, { type onnx } from "onnx-proto";
import { z } from "zod";
import { zModelSignature } from "@/lib/model-signature";
import { invalidParameter, saidError } from "@/server/errors";
import { sentence, type ServerSentence } from "@/lib/i18n/server-sentence";

// onnx-proto is CommonJS; Node's ESM loader only exposes its default export.
export const onnxProtobuf = onnxProto.onnx;

export const defaultMaxOnnxBytes = 512 * 1024 * 1024;

// Index = TensorProto.DataType value.
const elementTypeNames = [
  "undefined",
  "float32",
  "uint8",
  "int8",
  "uint16",
  "int16",
  "int32",
  "int64",
  "string",
  "bool",
  "float16",
  "float64",
  "uint32",
  "uint64",
  "complex64",
  "complex128",
  "bfloat16",
] as const;

export const zOnnxElementType = z.enum([...elementTypeNames, "unknown"]);
export type OnnxElementType = z.infer<typeof zOnnxElementType>;

export const zOnnxValueInfo = z.object({
  name: z.string(),
  /** The tensor's element type; "undefined" for sequences, maps and other non-tensor values. */
  elementType: zOnnxElementType,
  /** dim_value as a number, dim_param as its name, null for a free dimension; null when the rank is unknown. */
  shape: z.array(z.union([z.number(), z.string(), z.null()])).nullable(),
  kind: z.enum(["tensor", "sequence", "map", "other"]),
  /** Readable type, e.g. "tensor<float32>[N,4]" or "sequence<map<int64, tensor<float32>>>". */
  typeDescription: z.string(),
});
export type OnnxValueInfo = z.infer<typeof zOnnxValueInfo>;

export const zOnnxIntrospection = z.object({
  irVersion: z.number(),
  producerName: z.string(),
  producerVersion: z.string(),
  domain: z.string(),
  modelVersion: z.number(),
  docString: z.string(),
  graphName: z.string(),
  opsetImports: z.array(z.object({ domain: z.string(), version: z.number() })),
  inputs: z.array(zOnnxValueInfo),
  outputs: z.array(zOnnxValueInfo),
  operators: z.array(z.object({ domain: z.string(), opType: z.string(), count: z.number() })),
  nodeCount: z.number(),
  initializerCount: z.number(),
  initializerBytes: z.number(),
  metadata: z.record(z.string(), z.string()),
  usesZipMap: z.boolean(),
  unsupportedInBrowser: z.array(z.string()),
  /** The signature of the MLmodel file logged beside the .onnx file, when there is one (registration adds it). */
  mlmodelSignature: zModelSignature.nullable().optional(),
});
export type OnnxIntrospection = z.infer<typeof zOnnxIntrospection>;


const elementTypeBytes = [0, 4, 1, 1, 2, 2, 4, 8, 0, 1, 2, 8, 4, 8, 8, 16, 2];

export function elementTypeName(dataType: number | null | undefined): OnnxElementType {
  return elementTypeNames[dataType ?? 0] ?? "unknown";
}

/** A decoded graph: protobufjs fills repeated fields with arrays and nodes are NodeProto instances. */
export type DecodedGraph = Omit<onnx.GraphProto, "node"> & { node: onnx.NodeProto[] };
export type DecodedModel = Omit<onnx.ModelProto, "graph"> & { graph: DecodedGraph };

type Int64 = number | { toNumber(): number };

/** protobufjs returns int64 fields as Long objects when the `long` package is present, numbers otherwise. */
export function int64ToNumber(value: Int64 | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === "number" ? value : value.toNumber();
}

/** Decodes bytes as a ModelProto, refusing empty, oversized, truncated and non-ONNX input with a sentence saying why. */
export function decodeOnnxModel(bytes: Uint8Array, maxBytes = defaultMaxOnnxBytes): DecodedModel {
  if (bytes.length === 0) throw invalidParameter("The file is empty: upload an .onnx model file.", sentence("error.onnx.file_empty"));
  if (bytes.length > maxBytes) {
    throw saidError(
      "RESOURCE_EXHAUSTED",
      `The model file is ${formatBytes(bytes.length)}, over the ${formatBytes(maxBytes)} limit for ONNX models; export a smaller model or raise the limit.`,
      sentence("error.onnx.too_large", { size: [bytesSentence(bytes.length)], limit: [bytesSentence(maxBytes)] }),
    );
  }
  let model: onnx.ModelProto;
  try {
    model = onnxProtobuf.ModelProto.decode(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // ONNX exporters write ir_version (field 1, varint: tag byte 0x08) first; reading past the end of such a
    // file means it was cut short (an interrupted upload or copy), not that it is some other format.
    if (bytes[0] === 0x08 && /index out of range/i.test(reason)) {
      throw invalidParameter(
        `The file looks like an ONNX model but is truncated (${formatBytes(bytes.length)} read; the protobuf ends mid-field: ${reason}). Upload the complete file again.`,
        sentence("error.onnx.truncated", { size: [bytesSentence(bytes.length)], reason }),
      );
    }
    throw invalidParameter(`The file could not be read as an ONNX model: ${reason}. Upload a model exported to ONNX (.onnx).`, sentence("error.onnx.unreadable", { reason }));
  }
  // Protobuf has no magic number, so arbitrary bytes sometimes decode "successfully" into a message of unknown
  // fields; a real model always carries an IR version, an opset and a graph.
  const missing = [
    int64ToNumber(model.irVersion) > 0 ? null : "ir_version",
    model.opsetImport.length > 0 ? null : "opset_import",
    model.graph ? null : "graph",
  ].filter((field): field is string => field !== null);
  if (missing.length > 0) {
    throw invalidParameter(
      `The file could not be read as an ONNX model: it has no ${missing.join(", no ")}. Upload a model exported to ONNX (.onnx).`,
      sentence("error.onnx.not_a_model", { missing: missing.join(", no "), fields: missing.join(", ") }),
    );
  }
  return model as DecodedModel;
}

export function introspectOnnx(bytes: Uint8Array, options: { maxBytes?: number } = {}): OnnxIntrospection {
  const model = decodeOnnxModel(bytes, options.maxBytes ?? defaultMaxOnnxBytes);
  assertSelfContainedOnnx(model);
  const graph = model.graph;
  if (graph.node.length === 0) {
    throw invalidParameter("The ONNX model's graph is empty (no nodes): export the model again with its operators.", sentence("error.onnx.graph_empty"));
  }
  if (graph.output.length === 0) {
    throw invalidParameter("The ONNX model's graph declares no outputs, so nothing could be read from it: export it again.", sentence("error.onnx.no_outputs"));
  }

  const operatorCounts = new Map<string, { domain: string; opType: string; count: number }>();
  let nodeCount = 0;
  let usesZipMap = false;
  // Control-flow operators (If, Loop, Scan) carry subgraphs whose nodes run too; count them as well.
  const visit = (g: onnx.IGraphProto) => {
    for (const node of g.node ?? []) {
      nodeCount += 1;
      const domain = normaliseDomain(node.domain);
      const opType = node.opType ?? "";
      if (opType === "ZipMap" && domain === "ai.onnx.ml") usesZipMap = true;
      const key = `${domain}\u0000${opType}`;
      const entry = operatorCounts.get(key) ?? { domain, opType, count: 0 };
      entry.count += 1;
      operatorCounts.set(key, entry);
      for (const attribute of node.attribute ?? []) {
        if (attribute.g) visit(attribute.g);
        for (const sub of attribute.graphs ?? []) visit(sub);
      }
    }
  };
  visit(graph);
  const operators = [...operatorCounts.values()].sort(
    (a, b) => b.count - a.count || a.domain.localeCompare(b.domain) || a.opType.localeCompare(b.opType),
  );

  // Inputs that are also initializers are weights with defaults (IR < 4 lists them in both), not feeds.
  const initializerNames = new Set(graph.initializer.map((tensor) => tensor.name));
  const inputs = graph.input.filter((value) => !initializerNames.has(value.name ?? "")).map(describeValueInfo);
  const outputs = graph.output.map(describeValueInfo);
  const unsupportedInBrowser = outputs
    .filter((output) => output.kind !== "tensor")
    .map(
      (output) =>
        `Output '${output.name}' is a ${output.typeDescription}, which onnxruntime-web and onnxruntime-node cannot return (they only return tensors)` +
        (usesZipMap
          ? "; derive a version without the ZipMap node so the probabilities tensor becomes the output."
          : "; re-export the model with tensor outputs."),
    );

  return {
    irVersion: int64ToNumber(model.irVersion),
    producerName: model.producerName ?? "",
    producerVersion: model.producerVersion ?? "",
    domain: model.domain ?? "",
    modelVersion: int64ToNumber(model.modelVersion),
    docString: model.docString ?? "",
    graphName: graph.name ?? "",
    opsetImports: model.opsetImport.map((opset) => ({
      domain: normaliseDomain(opset.domain),
      version: int64ToNumber(opset.version),
    })),
    inputs,
    outputs,
    operators,
    nodeCount,
    initializerCount: graph.initializer.length,
    initializerBytes: graph.initializer.reduce((sum, tensor) => sum + tensorDataBytes(tensor), 0),
    metadata: Object.fromEntries(model.metadataProps.map((prop) => [prop.key ?? "", prop.value ?? ""])),
    usesZipMap,
    unsupportedInBrowser,
  };
}

/** Every tensor a graph carries (initializers, sparse initializers, Constant-like attributes), subgraphs included. */
function* tensorsOf(graph: onnx.IGraphProto): Generator<onnx.ITensorProto> {
  yield* graph.initializer ?? [];
  for (const sparse of graph.sparseInitializer ?? []) {
    if (sparse.values) yield sparse.values;
    if (sparse.indices) yield sparse.indices;
  }
  for (const node of graph.node ?? []) {
    for (const attribute of node.attribute ?? []) {
      if (attribute.t) yield attribute.t;
      yield* attribute.tensors ?? [];
      for (const sparse of [attribute.sparseTensor, ...(attribute.sparseTensors ?? [])]) {
        if (sparse?.values) yield sparse.values;
        if (sparse?.indices) yield sparse.indices;
      }
      if (attribute.g) yield* tensorsOf(attribute.g);
      for (const sub of attribute.graphs ?? []) yield* tensorsOf(sub);
    }
  }
}

/**
 * Refuses a model whose tensors live in external files: onnxruntime would read those paths from the server's disk
 * (relative to its working folder), so a model could return any readable file as an output tensor.
 */
export function assertSelfContainedOnnx(model: onnx.IModelProto): void {
  if (!model.graph) return;
  const external: string[] = [];
  for (const tensor of tensorsOf(model.graph)) {
    const location = (tensor.externalData ?? []).find((entry) => entry.key === "location")?.value;
    if (tensor.dataLocation === onnxProtobuf.TensorProto.DataLocation.EXTERNAL || (tensor.externalData?.length ?? 0) > 0) {
      external.push(`'${tensor.name ?? "?"}'${location ? ` (file ${JSON.stringify(location)})` : ""}`);
    }
  }
  if (external.length) {
    const files = `${external.slice(0, 5).join(", ")}${external.length > 5 ? ", …" : ""}`;
    throw invalidParameter(
      `The ONNX model keeps ${external.length === 1 ? "a tensor" : `${external.length} tensors`} in external files (${files}); ` +
        "the studio only accepts self-contained models. Export it again with its weights inside the .onnx file (onnx.save_model(model, path, save_as_external_data=False)).",
      sentence("error.onnx.external_data", { count: external.length, files }),
    );
  }
}

/** The default ai.onnx domain is written as "" (and sometimes "ai.onnx"); one spelling keeps counts together. */
function normaliseDomain(domain: string | null | undefined): string {
  return !domain || domain === "ai.onnx" ? "ai.onnx" : domain;
}

function describeValueInfo(value: onnx.IValueInfoProto): OnnxValueInfo {
  const type = value.type ?? {};
  const name = value.name ?? "";
  if (type.tensorType) {
    const shape = type.tensorType.shape ? type.tensorType.shape.dim!.map(describeDimension) : null;
    return {
      name,
      elementType: elementTypeName(type.tensorType.elemType),
      shape,
      kind: "tensor",
      typeDescription: describeType(type),
    };
  }
  const kind = type.sequenceType ? "sequence" : type.mapType ? "map" : "other";
  return { name, elementType: "undefined", shape: null, kind, typeDescription: describeType(type) };
}

function describeDimension(dim: onnx.TensorShapeProto.IDimension): number | string | null {
  if (dim.dimParam) return dim.dimParam;
  // proto3 cannot tell an unset dim_value from 0 without the oneof; protobufjs sets `value` when one was written.
  if ((dim as onnx.TensorShapeProto.Dimension).value === "dimValue" || dim.dimValue) return int64ToNumber(dim.dimValue);
  return null;
}

function describeType(type: onnx.ITypeProto): string {
  if (type.tensorType) {
    const element = elementTypeName(type.tensorType.elemType);
    const shape = type.tensorType.shape
      ? `[${type.tensorType.shape.dim!.map((dim) => describeDimension(dim) ?? "?").join(",")}]`
      : "";
    return `tensor<${element}>${shape}`;
  }
  if (type.sequenceType) {
    return `sequence<${type.sequenceType.elemType ? describeType(type.sequenceType.elemType) : "?"}>`;
  }
  if (type.mapType) {
    const value = type.mapType.valueType ? describeType(type.mapType.valueType) : "?";
    return `map<${elementTypeName(type.mapType.keyType)}, ${value}>`;
  }
  if (type.optionalType) return `optional<${type.optionalType.elemType ? describeType(type.optionalType.elemType) : "?"}>`;
  if (type.sparseTensorType) return `sparse_tensor<${elementTypeName(type.sparseTensorType.elemType)}>`;
  return "unknown type";
}

/** Bytes held by one initializer: raw_data when present, otherwise the typed field's length × element size. */
function tensorDataBytes(tensor: onnx.ITensorProto): number {
  if (tensor.rawData && tensor.rawData.length > 0) return tensor.rawData.length;
  const dataType = tensor.dataType ?? 0;
  if (dataType === onnxProtobuf.TensorProto.DataType.STRING) {
    return (tensor.stringData ?? []).reduce((sum, value) => sum + value.length, 0);
  }
  const count =
    (tensor.floatData?.length ?? 0) +
    (tensor.int32Data?.length ?? 0) +
    (tensor.int64Data?.length ?? 0) +
    (tensor.doubleData?.length ?? 0) +
    (tensor.uint64Data?.length ?? 0);
  return count * (elementTypeBytes[dataType] ?? 0);
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** formatBytes as a sentence (term.bytes), so each language writes the number and unit its own way (1.5 MiB, 1,5 Mio). */
function bytesSentence(bytes: number): ServerSentence {
  if (bytes < 1024) return sentence("term.bytes", { size: bytes, unit: "B" });
  if (bytes < 1024 * 1024) return sentence("term.bytes", { size: bytes / 1024, unit: "KiB" });
  return sentence("term.bytes", { size: bytes / 1024 / 1024, unit: "MiB" });
}
