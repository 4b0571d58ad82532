"use client";
// "Measure latency": many single-row inferences (on the page, as Predict runs them) and a large batch (in the worker), as
// percentiles a person can compare with the server.
import { useTranslations } from "next-intl";
import { useState } from "react";
import ui from "@/components/ui/ui.module.css";
import { feedsFromRows, type InputPlan, type InputRow } from "@/lib/model-inputs";
import type { ScoringClient } from "./scoring-client";
import { latencySummary, percentile, type LatencySummary } from "@/lib/percentile";
import { medianBlockMean, warmUpSettled } from "./latency-timing";
import { useModelInputErrorText } from "./model-input-error-text";
import { useNumberCells } from "./number-cells";

const SINGLE_RUNS = 2000;
const BATCH_ROWS = 10_000;
// One batch timed alone swung from 11 to 135 ms on a busy 2-core machine (another tab, a build): the median of a few
// says what the model costs rather than what the machine was doing at that moment.
const BATCH_RUNS = 5;
// Chromium runs ORT's wasm first as its baseline compiler's code and optimises a hot function in the background, so
// the optimised code takes over some time after the function got hot. Measured (bench/README, BENCH_PLAYGROUND_ONLY=
// latency, 2026-12-07): a one-row forest took 0.040-0.050 ms per row after 200 warm-up runs, still 0.045 after 3,000
// back to back (~0.15 s), and 0.015 ms, onnxruntime-node's own speed, in every check after the first. A fixed second
// was not enough on a page still busy after a Predict (its explanation in the worker, the editor loading: bench/README,
// i18-playground5): 5,700 runs instead of 10,000-17,000, still getting faster when the timing began, and the check
// read 2-3× native. So the warm-up is at least a count and a duration, then goes on in blocks until the blocks stop
// getting faster (warmUpSettled), at most WARMUP_MAX_MS, with a macrotask turn every slice. The check reports the
// speed a page that has been scoring settles at, as the native baseline (already optimised machine code) does.
const WARMUP_RUNS = 3_000;
const WARMUP_MIN_MS = 1_000;
const WARMUP_MAX_MS = 5_000;
const WARMUP_BLOCK_RUNS = 250;
const WARMUP_SLICE_MS = 4;
// The page's clock ticks in 5 µs steps (cross-origin isolated; coarser otherwise), a third of a one-row forest: a
// block of runs back to back is timed as a whole, and the median block's mean is reported beside the percentiles.
const BLOCKS = 10;
const BLOCK_RUNS = 200;

export function LatencyCheck({
  client,
  plan,
  inputs,
  readRow,
}: {
  client: ScoringClient | null;
  plan: InputPlan;
  inputs: Parameters<typeof feedsFromRows>[1];
  /** The form's row as it is now, read when the tool runs. */
  readRow: () => InputRow;
}) {
  const t = useTranslations("playground.tools.latency");
  const cells = useNumberCells();
  const errorText = useModelInputErrorText();
  const [state, setState] = useState<{ running: boolean; done: number; result: { single: LatencySummary; ort: LatencySummary; singleMeanMs: number; batchMs: number; warmUp: { runs: number; ms: number; settled: boolean } } | null; error: string | null }>({
    running: false,
    done: 0,
    result: null,
    error: null,
  });

  async function measure() {
    if (!client) return;
    setState({ running: true, done: 0, result: null, error: null });
    try {
      const row = readRow();
      const feeds = feedsFromRows(plan, inputs, [row]);
      // Warm-up (WARMUP_RUNS): the first runs compile ORT's code paths, the first thousands run it unoptimised.
      const warmUpStarted = performance.now();
      let sliceStarted = warmUpStarted;
      // Each block's mean counts the runs only, not the macrotask turns between slices.
      const warmUpBlocks: number[] = [];
      let blockMs = 0;
      let warmUpRuns = 0;
      for (;;) {
        const elapsed = performance.now() - warmUpStarted;
        const minimumDone = warmUpRuns >= WARMUP_RUNS && elapsed >= WARMUP_MIN_MS;
        // Judged at block boundaries only, so the last block counts whole.
        if (minimumDone && warmUpRuns % WARMUP_BLOCK_RUNS === 0 && (warmUpSettled(warmUpBlocks) || elapsed >= WARMUP_MAX_MS)) break;
        const runStarted = performance.now();
        await client.run("main", feeds);
        blockMs += performance.now() - runStarted;
        warmUpRuns++;
        if (warmUpRuns % WARMUP_BLOCK_RUNS === 0) {
          warmUpBlocks.push(blockMs / WARMUP_BLOCK_RUNS);
          blockMs = 0;
        }
        if (performance.now() - sliceStarted >= WARMUP_SLICE_MS) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          sliceStarted = performance.now();
        }
      }
      const warmUp = { runs: warmUpRuns, ms: performance.now() - warmUpStarted, settled: warmUpSettled(warmUpBlocks) };
      const roundTrips: number[] = [];
      const ortTimes: number[] = [];
      for (let i = 0; i < SINGLE_RUNS; i++) {
        const result = await client.run("main", feeds);
        roundTrips.push(result.roundTripMs);
        ortTimes.push(result.runMs);
        if (i % 200 === 199) setState((s) => ({ ...s, done: i + 1 }));
      }
      const blockTotals: number[] = [];
      for (let block = 0; block < BLOCKS; block++) {
        const started = performance.now();
        for (let i = 0; i < BLOCK_RUNS; i++) await client.run("main", feeds);
        blockTotals.push(performance.now() - started);
      }
      const batchFeeds = feedsFromRows(plan, inputs, Array.from({ length: BATCH_ROWS }, () => row));
      // The worker has scored nothing yet: its first batch also compiles the code the batch runs. Timed once warm.
      await client.run("main", batchFeeds);
      const batchTimes: number[] = [];
      for (let i = 0; i < BATCH_RUNS; i++) batchTimes.push((await client.run("main", batchFeeds)).runMs);
      setState({
        running: false,
        done: SINGLE_RUNS,
        result: { single: latencySummary(roundTrips), ort: latencySummary(ortTimes), singleMeanMs: medianBlockMean(blockTotals, BLOCK_RUNS), batchMs: percentile(batchTimes, 50), warmUp },
        error: null,
      });
    } catch (error) {
      setState({ running: false, done: 0, result: null, error: errorText(error) });
    }
  }

  const { result } = state;
  return (
    <section className={ui.panel} aria-labelledby="latency-check">
      <h2 id="latency-check" className={ui.panelTitle}>
        {t("title")}
      </h2>
      <p className={ui.muted}>{t("explain", { warmup: WARMUP_RUNS, warmupSeconds: WARMUP_MIN_MS / 1000, warmupMaxSeconds: WARMUP_MAX_MS / 1000, single: SINGLE_RUNS, blocks: BLOCKS * BLOCK_RUNS, batch: BATCH_ROWS, batchRuns: BATCH_RUNS })}</p>
      <button type="button" className={ui.button} onClick={measure} disabled={!client || state.running}>
        {state.running ? t("measuring", { done: state.done, total: SINGLE_RUNS }) : t("measure")}
      </button>
      {state.error ? (
        <p className={ui.error} role="alert">
          {state.error}
        </p>
      ) : null}
      {result ? (
        <table className={ui.table} aria-label={t("table")}>
          <thead>
            <tr>
              <th scope="col">{t("measureColumn")}</th>
              <th scope="col">{t("p50")}</th>
              <th scope="col">{t("p95")}</th>
              <th scope="col">{t("p99")}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{t("single")}</th>
              <td data-testid="single-p50">{cells.fixed(result.single.p50, 3)}</td>
              <td>{cells.fixed(result.single.p95, 3)}</td>
              <td>{cells.fixed(result.single.p99, 3)}</td>
            </tr>
            <tr>
              <th scope="row">{t("backToBack", { blocks: BLOCKS, runs: BLOCK_RUNS })}</th>
              <td data-testid="single-mean" colSpan={3}>
                {cells.fixed(result.singleMeanMs, 4)}
              </td>
            </tr>
            <tr>
              <th scope="row">{t("ort")}</th>
              <td data-testid="ort-p50">{cells.fixed(result.ort.p50, 3)}</td>
              <td>{cells.fixed(result.ort.p95, 3)}</td>
              <td>{cells.fixed(result.ort.p99, 3)}</td>
            </tr>
            <tr>
              <th scope="row">{t("batch", { rows: BATCH_ROWS, runs: BATCH_RUNS })}</th>
              <td data-testid="batch-ms" colSpan={3}>
                {cells.fixed(result.batchMs, 1)}
              </td>
            </tr>
          </tbody>
        </table>
      ) : null}
      {result ? (
        <p className={ui.muted} data-testid="warm-up" data-runs={result.warmUp.runs} data-ms={Math.round(result.warmUp.ms)} data-settled={result.warmUp.settled}>
          {t(result.warmUp.settled ? "warmedUp" : "warmUpCut", { runs: result.warmUp.runs, seconds: cells.fixed(result.warmUp.ms / 1000, 1) })}
        </p>
      ) : null}
    </section>
  );
}
