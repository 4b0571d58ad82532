// The transport-limit baseline of bench/serving: a bare node:http server that parses the JSON body
// ({"inputs": [[30 floats], …]}), runs the same ONNX session and answers JSON — no auth, no registry, no checks.
import http from "node:http";
import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { servingSessionOptions } from "@/server/serving/model-server";

async function main(): Promise<void> {
  const session = await ort.InferenceSession.create(new Uint8Array(await readFile(process.env.BARE_MODEL ?? "fixtures/models/breast-cancer-rf-v1.onnx")), servingSessionOptions());
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void (async () => {
        const rows = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { inputs: number[][] }).inputs;
        const width = rows[0]!.length;
        const data = new Float32Array(rows.length * width);
        for (let r = 0; r < rows.length; r++) for (let c = 0; c < width; c++) data[r * width + c] = rows[r]![c]!;
        const out = await session.run({ input: new ort.Tensor("float32", data, [rows.length, width]) });
        const label = Array.from(out.label!.data as BigInt64Array, Number);
        const probabilities = Array.from(out.probabilities!.data as Float32Array);
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ predictions: { label, probabilities } }));
      })();
    });
  });
  server.listen(Number(process.env.BARE_PORT), "127.0.0.1", () => console.log("bare server ready"));
  // An orderly exit, so `node --cpu-prof` (bench/serving-profile.ts) writes its profile.
  process.once("SIGTERM", () => process.exit(0));
}

void main();
