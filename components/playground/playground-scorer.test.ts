// PlaygroundScorer with onnxruntime-web in Node: the model loads in the worker first (here an in-process stand-in built
// on the same scoring host the real worker runs), then on the page, whose own ORT then scores single rows.
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
  it("loads in the worker first, then on the page, which takes single rows over; batches stay in the worker; same predictions", async () => {
    const worker = fakeWorker();
    let started = 0;
    // The page's ORT is held back until the early row was scored, as a page's runtime still starting would be.
    let releasePageOrt!: () => void;
    const pageOrt = new Promise<void>((resolve) => (releasePageOrt = resolve));
    const scorer = new PlaygroundScorer(async () => (await pageOrt, ort), () => (started++, worker.client));
    const model = modelBytes("breast-cancer-rf-v1");
    const info = await scorer.load("main", model, wasmPaths);
    expect(info).toMatchObject({ inputNames: ["input"], outputNames: ["label", "probabilities"] });
    expect(started).toBe(1);
    expect(worker.log).toEqual(["load main 126421"]);
    expect((await scorer.batchInfo("main")).inputNames).toEqual(["input"]);

    // Ready as soon as the worker has the model: a row scored before the page's instance has it goes to the worker.
    const early = await scorer.run("main", rows(1));
    expect(early.place).toBe("worker");
    expect(worker.log).toEqual(["load main 126421", "run main 1"]);

    releasePageOrt();
    expect(await scorer.singleRowsSettled("main")).toBe(true);
    const single = await scorer.run("main", rows(1));
    expect(single.place).toBe("page");
    expect(worker.log).toHaveLength(2);
    expect(single.roundTripMs).toBeGreaterThanOrEqual(single.runMs);
    expect(single.outputs).toEqual(early.outputs);
    const batch = await scorer.run("main", rows(3));
    expect(batch.place).toBe("worker");
    expect(worker.log.at(-1)).toBe("run main 3");
    expect(readPredictions(batch.outputs)[0]).toEqual(readPredictions(single.outputs)[0]);

    scorer.terminate();
    expect(worker.log.at(-1)).toBe("terminate");
  });

  it("reports a model ORT cannot read as a ScoringError", async () => {
    const scorer = new PlaygroundScorer(async () => ort, () => fakeWorker().client);
    await expect(scorer.load("main", new TextEncoder().encode("not a model").buffer as ArrayBuffer, wasmPaths)).rejects.toBeInstanceOf(ScoringError);
    await expect(scorer.run("main", rows(1))).rejects.toThrow(/not loaded|failed/i);
    await expect(scorer.run("main", rows(2))).rejects.toThrow(/not loaded|failed/i);
  });

  it("loads on the page when the worker cannot: single rows work, a batch reports the worker's failure", async () => {
    const worker = fakeWorker({ failLoad: "The scoring worker failed: it could not start." });
    const scorer = new PlaygroundScorer(async () => ort, () => worker.client);
    await scorer.load("main", modelBytes("iris-logreg"), wasmPaths);
    expect(await scorer.singleRowsSettled("main")).toBe(true);
    const irisInputs = introspectOnnx(new Uint8Array(modelBytes("iris-logreg"))).inputs;
    const irisPlan = planModelInputs(irisInputs);
    const one = await scorer.run("main", feedsFromRows(irisPlan, irisInputs, [defaultInputRow(irisPlan)]));
    expect(one.place).toBe("page");
    expect(readPredictions(one.outputs)).toHaveLength(1);
    await expect(scorer.run("main", feedsFromRows(irisPlan, irisInputs, [defaultInputRow(irisPlan), defaultInputRow(irisPlan)]))).rejects.toThrow(/could not start/);
  });
});

describe("PlaygroundScorer closed while loading", () => {
  it("refuses the load and keeps no session on the page", async () => {
    const worker = fakeWorker();
    let releaseLoad!: () => void;
    const loadHeld = new Promise<void>((resolve) => (releaseLoad = resolve));
    const held: ScoringClient = { ...worker.client, load: async (...args) => (await loadHeld, worker.client.load(...args)) };
    let pageOrtAsked = 0;
    const scorer = new PlaygroundScorer(async () => (pageOrtAsked++, ort), () => held);
    const loading = scorer.load("main", modelBytes("iris-logreg"), wasmPaths);
    scorer.terminate();
    releaseLoad();
    await expect(loading).rejects.toThrow(/closed/);
    expect(pageOrtAsked).toBe(0);
  });
});
