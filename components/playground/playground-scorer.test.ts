// PlaygroundScorer with onnxruntime-web in Node: single rows are scored by the page's own ORT, batches by the worker's
// (here an in-process stand-in built on the same scoring host the real worker runs), which loads only after the page.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import * as ort from "onnxruntime-web";
import { describe, expect, it } from "vitest";
import { defaultInputRow, feedsFromRows, planModelInputs } from "@/lib/model-inputs";
import { introspectOnnx } from "@/server/registry/onnx-introspection";
import { PlaygroundScorer } from "./playground-scorer";
import { readPredictions } from "./prediction-format";
import { replyOrThrow, ScoringError, sessionInfoOf, type ScoringClient } from "./scoring-client";
import { createScoringHost } from "./scoring-host";

const wasmPaths = pathToFileURL("node_modules/onnxruntime-web/dist/").href;
const modelBytes = (name: string) => {
  const file = readFileSync(`fixtures/models/${name}.onnx`);
  return file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer;
};

/** The worker's side without a Worker: the same host, and a log of what reached it. */
function fakeWorker(options: { failLoad?: string } = {}) {
  const log: string[] = [];
  const host = createScoringHost(ort, { crossOriginIsolated: false, hardwareConcurrency: 2 });
  let id = 1000;
  const client: ScoringClient = {
    async load(slot, model, paths) {
      log.push(`load ${slot} ${model.byteLength}`);
      if (options.failLoad) throw new ScoringError(options.failLoad, null);
      return sessionInfoOf(replyOrThrow(await host({ kind: "load", id: id++, slot, model, wasmPaths: paths }), "loaded"));
    },
    async run(slot, feeds) {
      log.push(`run ${slot} ${Object.values(feeds)[0]!.dims[0]}`);
      const started = performance.now();
      const result = replyOrThrow(await host({ kind: "run", id: id++, slot, feeds }), "result");
      return { outputs: result.outputs, runMs: result.runMs, roundTripMs: performance.now() - started };
    },
    terminate() {
      log.push("terminate");
    },
  };
  return { client, log };
}

const rfInputs = introspectOnnx(new Uint8Array(modelBytes("breast-cancer-rf-v1"))).inputs;
const rfPlan = planModelInputs(rfInputs);
const rows = (n: number) => feedsFromRows(rfPlan, rfInputs, Array.from({ length: n }, (_, i) => ({ ...defaultInputRow(rfPlan), x0: 10 + i })));

describe("PlaygroundScorer", () => {
  it("scores a single row on the page and a batch in the worker, with the same predictions", async () => {
    const worker = fakeWorker();
    let started = 0;
    const scorer = new PlaygroundScorer(async () => ort, () => (started++, worker.client));
    const model = modelBytes("breast-cancer-rf-v1");
    const info = await scorer.load("main", model, wasmPaths);
    expect(info).toMatchObject({ inputNames: ["input"], outputNames: ["label", "probabilities"], threads: 1 });
    // The worker is started once the page's session exists, and gets the same bytes.
    expect(started).toBe(1);
    expect(worker.log).toEqual(["load main 126421"]);
    expect((await scorer.batchInfo("main")).inputNames).toEqual(["input"]);

    const single = await scorer.run("main", rows(1));
    expect(worker.log).toEqual(["load main 126421"]);
    expect(single.roundTripMs).toBeGreaterThanOrEqual(single.runMs);
    const batch = await scorer.run("main", rows(3));
    expect(worker.log).toEqual(["load main 126421", "run main 3"]);
    expect(readPredictions(batch.outputs)[0]).toEqual(readPredictions(single.outputs)[0]);

    scorer.terminate();
    expect(worker.log.at(-1)).toBe("terminate");
  });

  it("reports a model ORT cannot read as a ScoringError and starts no worker for it", async () => {
    let started = 0;
    const scorer = new PlaygroundScorer(async () => ort, () => (started++, fakeWorker().client));
    await expect(scorer.load("main", new TextEncoder().encode("not a model").buffer as ArrayBuffer, wasmPaths)).rejects.toBeInstanceOf(ScoringError);
    expect(started).toBe(0);
    await expect(scorer.run("main", rows(1))).rejects.toThrow(/not loaded/);
    await expect(scorer.run("main", rows(2))).rejects.toThrow(/not loaded/);
  });

  it("lets single rows work when the worker fails to load, and reports that failure on a batch", async () => {
    const worker = fakeWorker({ failLoad: "The scoring worker failed: it could not start." });
    const scorer = new PlaygroundScorer(async () => ort, () => worker.client);
    await scorer.load("main", modelBytes("iris-logreg"), wasmPaths);
    const irisInputs = introspectOnnx(new Uint8Array(modelBytes("iris-logreg"))).inputs;
    const irisPlan = planModelInputs(irisInputs);
    const one = await scorer.run("main", feedsFromRows(irisPlan, irisInputs, [defaultInputRow(irisPlan)]));
    expect(readPredictions(one.outputs)).toHaveLength(1);
    await expect(scorer.run("main", feedsFromRows(irisPlan, irisInputs, [defaultInputRow(irisPlan), defaultInputRow(irisPlan)]))).rejects.toThrow(/could not start/);
  });
});

describe("PlaygroundScorer closed while loading", () => {
  it("starts no worker and refuses the load", async () => {
    let started = 0;
    let releaseOrt!: () => void;
    const ortReady = new Promise<void>((resolve) => (releaseOrt = resolve));
    const scorer = new PlaygroundScorer(async () => (await ortReady, ort), () => (started++, fakeWorker().client));
    const loading = scorer.load("main", modelBytes("iris-logreg"), wasmPaths);
    scorer.terminate();
    releaseOrt();
    await expect(loading).rejects.toThrow(/closed/);
    expect(started).toBe(0);
  });
});
