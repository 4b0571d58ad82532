// The playground's Web Worker: onnxruntime-web sessions (wasm backend) run here, off the page's main thread.
import * as ort from "onnxruntime-web/wasm";
import { createScoringHost } from "./scoring-host";
import type { ScoringReply, ScoringRequest } from "./scoring-protocol";

interface WorkerScope {
  crossOriginIsolated: boolean;
  navigator: { hardwareConcurrency?: number };
  postMessage(message: ScoringReply): void;
  addEventListener(type: "message", listener: (event: MessageEvent<ScoringRequest>) => void): void;
}
const scope = self as unknown as WorkerScope;

const answer = createScoringHost(ort, { crossOriginIsolated: scope.crossOriginIsolated, hardwareConcurrency: scope.navigator.hardwareConcurrency ?? 1 });

scope.addEventListener("message", (event) => {
  void answer(event.data).then((reply) => scope.postMessage(reply));
});
