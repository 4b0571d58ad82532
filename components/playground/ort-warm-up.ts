// Starts onnxruntime-web's runtime (fetch and compile its wasm, start it) before any model is there, by creating a
// session of the smallest valid model: ORT has no public "init", and its runtime starts with the first session.
import type * as Ort from "onnxruntime-web";
import { configureOrt, type ScoringEnvironment } from "./scoring-host";

type OrtModule = Pick<typeof Ort, "InferenceSession" | "env">;

/** A protobuf field: its key, then a varint or the length and bytes of a nested message or string. */
function field(number: number, value: number | Uint8Array | string): number[] {
  if (typeof value === "number") return [(number << 3) | 0, ...varint(value)];
  const bytes = typeof value === "string" ? new TextEncoder().encode(value) : value;
  return [(number << 3) | 2, ...varint(bytes.length), ...bytes];
}

function varint(value: number): number[] {
  const out: number[] = [];
  while (value > 0x7f) {
    out.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  out.push(value);
  return out;
}

const message = (...fields: number[][]) => Uint8Array.from(fields.flat());

/** y = Identity(x) over one float: an ONNX ModelProto (IR 7, opset 13) of 90-odd bytes. */
export function identityModelBytes(): Uint8Array {
  const oneFloat = message(field(1, message(field(1, 1), field(2, message(field(1, message(field(1, 1))))))));
  const valueInfo = (name: string) => message(field(1, name), field(2, oneFloat));
  const node = message(field(1, "x"), field(2, "y"), field(4, "Identity"));
  const graph = message(field(1, node), field(2, "warm-up"), field(11, valueInfo("x")), field(12, valueInfo("y")));
  return message(field(1, 7), field(7, graph), field(8, message(field(2, 13))));
}

/**
 * Configures ORT as the scoring host will, then starts its runtime; resolves when a session could be created. Safe to
 * run beside a real load: ORT starts its runtime once and makes later sessions wait for it.
 */
export async function warmUpOrtRuntime(ort: OrtModule, wasmPaths: string, environment: ScoringEnvironment): Promise<void> {
  configureOrt(ort, wasmPaths, environment);
  const session = await ort.InferenceSession.create(identityModelBytes(), { executionProviders: ["wasm"] });
  await session.release();
}
