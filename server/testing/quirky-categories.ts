// Test material for type fidelity: the credit fixture model and test split with its categories renamed to strings a
// type sniffer misreads (yes/no, true/false, Y/N, 007, 1.50, 2024-01, NA). Same model, same rows, only the spelling.
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import * as ort from "onnxruntime-node";
import Papa from "papaparse";
import { onnxProtobuf } from "@/server/registry/onnx-introspection";

export const fixturesDir = path.resolve(import.meta.dirname, "../../fixtures");

/** Per string input of credit-logreg: its training category → the quirky spelling it gets. */
export type CategoryRenames = Record<"sex" | "purpose" | "housing", Record<string, string>>;

export const quirkyRenames: CategoryRenames[] = [
  {
    // DuckDB sniffs yes/no as BOOLEAN and 007/010/1.50/1.5/08 as DOUBLE: both misread before this fix.
    sex: { F: "no", M: "yes" },
    purpose: { car: "007", house: "010", education: "1.50", other: "1.5", business: "08" },
    housing: { own: "Y", rent: "N", free: "NA" },
  },
  {
    // TRUE/FALSE is sniffed as BOOLEAN and came back as "true"/"false"; month strings and NA must stay text too.
    sex: { F: "FALSE", M: "TRUE" },
    purpose: { car: "2024-01", house: "2024-02", education: "2023-12", other: "2024-10", business: "2024-11" },
    housing: { own: "true", rent: "false", free: "NA" },
  },
];

/** credit-logreg.onnx with the OneHotEncoders' category strings renamed (same positions, so the same model). */
export function quirkyCreditModel(renames: CategoryRenames): Uint8Array {
  const model = onnxProtobuf.ModelProto.decode(readFileSync(path.join(fixturesDir, "models", "credit-logreg.onnx")));
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  for (const node of model.graph!.node!) {
    if (node.opType !== "OneHotEncoder") continue;
    const input = node.input![0] as keyof CategoryRenames;
    const attribute = node.attribute!.find((a) => a.name === "cats_strings")!;
    attribute.strings = attribute.strings!.map((bytes) => {
      const renamed = renames[input][decoder.decode(bytes)];
      if (renamed === undefined) throw new Error(`No rename for ${input} category ${decoder.decode(bytes)}`);
      return encoder.encode(renamed);
    });
  }
  return onnxProtobuf.ModelProto.encode(model).finish();
}

/** The credit test split with the same renames, written to `file` (no quoting: none of the values needs it). */
export async function writeQuirkyCreditCsv(renames: CategoryRenames, file: string, source = "credit.test"): Promise<Record<string, string>[]> {
  const rows = Papa.parse<Record<string, string>>(readFileSync(path.join(fixturesDir, "datasets", `${source}.csv`), "utf8"), { header: true, skipEmptyLines: true }).data;
  const header = Object.keys(rows[0]);
  const renamed = rows.map((row) => ({ ...row, sex: renames.sex[row.sex], purpose: renames.purpose[row.purpose], housing: renames.housing[row.housing] }));
  await writeFile(file, [header.join(","), ...renamed.map((row) => header.map((name) => (row as Record<string, string>)[name]).join(","))].join("\n") + "\n");
  return renamed;
}

/** The reference: onnxruntime-node fed the file's raw strings (numbers as float32), [p(0), p(1)] per row. */
export async function referenceProbabilities(onnx: Uint8Array, rows: Record<string, string>[]): Promise<number[][]> {
  const session = await ort.InferenceSession.create(onnx);
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) {
      const values = rows.map((row) => row[name]);
      feeds[name] = ["sex", "purpose", "housing"].includes(name)
        ? new ort.Tensor("string", values, [rows.length, 1])
        : new ort.Tensor("float32", Float32Array.from(values, Number), [rows.length, 1]);
    }
    const outputs = await session.run(feeds, ["probabilities"]);
    const data = outputs.probabilities.data as Float32Array;
    return Array.from({ length: rows.length }, (_, row) => [data[row * 2], data[row * 2 + 1]]);
  } finally {
    await session.release();
  }
}
