"use client";
// The model playground: runs one registered version in the browser (onnxruntime-web: single rows on the page, batches
// in a worker) on a form, JSON, a CSV, a sweep, or beside another version.
import { LatencyCheck } from "./latency-check";
import { useQuery } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import Link from "@/components/ui/intent-link";
import { memo, useActionState, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type FormEvent, type ReactNode } from "react";
import { defaultInputRow, feedsFromRows, parseInputJson, type FieldValue, type InputPlan, type InputRow, type ModelInputInfo } from "@/lib/model-inputs";
import { useTRPC, useTRPCClient } from "@/components/trpc-provider";
import { QueryError } from "@/components/ui/query-error";
import ui from "@/components/ui/ui.module.css";
import { useUrlState } from "@/components/ui/use-url-state";
import type { OnnxIntrospection } from "@/server/registry/onnx-introspection";
import type { ModelVersionDetail } from "@/server/registry/schema";
import { BatchScoring } from "./batch-scoring";
import { ChampionChallenger } from "./champion-challenger";
import { InputForm } from "./input-form";
import { JsonInputsEditor } from "./json-inputs-editor";
import { readPredictions, type RowPrediction } from "./prediction-format";
import { PlaygroundExplanation } from "./playground-explanation";
import { PredictionSummary } from "./prediction-view";
import { ResponseCurve } from "./response-curve";
import { ScoringError } from "./scoring-client";
import { ModelFileError, modelFileError } from "./model-file-error";
import type { ServerSentence } from "@/lib/i18n/server-sentence";
import type { SessionInfo } from "./scoring-protocol";
import { PlaygroundScorer, pageScoringEnvironment } from "./playground-scorer";
import { warmUpOrtRuntime } from "./ort-warm-up";
import { modelBytesUrl, ortWasmPaths } from "./ort-assets";
import { afterFirstPaint } from "./after-first-paint";
import { plainFeeds } from "@/lib/ort-plain-tensors";
import { playgroundInputPlan, trainingDatasetOf, type ProfiledColumn } from "./training-context";
import { predictPlaygroundFormRow } from "@/server/registry/playground-form-action";
import { EARLY_ANSWER_ATTRIBUTE, EARLY_FORM_ATTRIBUTE, EARLY_PREDICT_GLOBAL, earlyLatencyText, type EarlyAnswer, type EarlyPredict } from "./early-predict-script";
import { useModelInputErrorText, useSaidProblem } from "./model-input-error-text";
import styles from "./playground.module.css";

export { modelBytesUrl };

/** How long the model took to become usable. */
interface LoadTiming {
  /** From the start of the playground's load (right after the page is interactive) to a usable session: the model's
   * bytes, ORT's runtime (fetch, compile, start) and the session, in parallel where they can be. */
  loadMs: number;
  /** From the browser's navigation start to a usable session, when this document was loaded for the playground. */
  sinceNavigationMs: number | null;
}

type SessionState =
  | { status: "loading" }
  | { status: "ready"; client: PlaygroundScorer; info: SessionInfo; timing: LoadTiming; batchThreads: number | null }
  | { status: "failed"; message: string; operator: string | null; sentence?: ServerSentence };

/**
 * onnxruntime-web's JS (~70 KB), imported by ORT's runtime start once the hydrated page is painted, not when this
 * module is evaluated: evaluated during hydration, it was one more task that a Predict pressed while the page opens
 * waited behind. The chunk is same-origin and cached, a few ms beside the runtime's own start.
 */
let ortWeb: Promise<typeof import("onnxruntime-web/wasm")> | null = null;
function loadOrtWeb(): Promise<typeof import("onnxruntime-web/wasm")> {
  ortWeb ??= import("onnxruntime-web/wasm").catch((error: unknown) => {
    ortWeb = null; // the next load asks again
    throw error;
  });
  return ortWeb;
}

/**
 * ORT's runtime (its 14 MB wasm fetched from the head's preload, compiled, started), started once per document beside
 * the model's download, so the model's session then only parses the model. A failure here is left for the model's own
 * load to report.
 */
let runtimeStart: Promise<void> | null = null;
function startPageOrtRuntime(wasmPaths: string): Promise<void> {
  runtimeStart ??= loadOrtWeb()
    .then((ort) => warmUpOrtRuntime(ort, wasmPaths, pageScoringEnvironment()))
    .catch(() => undefined);
  return runtimeStart;
}

/** The server's answers to Predict in flight on this page (the hydrated page's, while its runtime loads). */
const serverAnswersInFlight = new Set<Promise<unknown>>();
/** How long ORT's start waits for answers in flight at most: a server that does not answer does not hold it for good. */
const ANSWERS_WAIT_MAX_MS = 3_000;

/**
 * Resolves once no server answer to Predict is in flight: the early script's (a press before hydration) and the page's.
 * ORT's runtime start is one long main-thread task (a returning visit's compiled wasm read back from the code cache:
 * 0.1–0.4 s in traces at load ~22); started while an answer was on its way, it held that answer's drawing until it was
 * over (a press handled at 1.16 s was shown at 2.06 s).
 */
function serverAnswersSettled(): Promise<void> {
  const early = (window as unknown as Record<string, EarlyPredict | undefined>)[EARLY_PREDICT_GLOBAL];
  const inFlight = [early?.idle() ?? Promise.resolve(), ...serverAnswersInFlight];
  return Promise.race([Promise.allSettled(inFlight).then(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, ANSWERS_WAIT_MAX_MS))]);
}

/** Starts loading the model as soon as the page is interactive (not after the version's details arrive): the bytes
 * at once (the server page has already asked the browser to preload them and ORT's wasm), ORT's runtime once the page
 * is painted, so Predict (answered by the server meanwhile) is usable first. */
function usePlaygroundSession(name: string, version: string, wasmPaths: string, modelDigest: string | null): SessionState {
  const [session, setSession] = useState<SessionState>({ status: "loading" });
  useEffect(() => {
    if (arrivedBySoftNavigation()) {
      // Next's client-side navigation keeps the previous document, which is not cross-origin isolated (no threads);
      // a full load of this URL gets the COOP/COEP headers next.config.js sets on the playground.
      window.location.reload();
      return;
    }
    const started = performance.now();
    const navigationLoaded = documentLoadedFor(window.location.pathname);
    const scorer = new PlaygroundScorer(loadOrtWeb);
    let cancelled = false;
    // Starting ORT's runtime is one long task on the page's thread (a returning visit's compiled wasm read back from
    // Chromium's code cache: 0.3–0.7 s on two busy cores); started while React hydrated, it held the playground's
    // hydration, and so Predict (answered by the server meanwhile), for all of that time. It also waits for a server
    // answer to Predict already on its way, so that answer is drawn first (serverAnswersSettled).
    const paint = afterFirstPaint();
    const runtime = paint.painted.then(serverAnswersSettled).then(() => startPageOrtRuntime(wasmPaths));
    const bytes = fetch(modelBytesUrl(name, version, modelDigest)).then((response) => {
      if (!response.ok) return modelFileError(response).then((error) => Promise.reject(error));
      return response.arrayBuffer();
    });
    Promise.all([bytes, runtime])
      .then(([model]) => {
        if (cancelled) throw new ScoringError("The playground was closed.", null);
        return scorer.load("main", model, wasmPaths);
      })
      .then(
        (info) => {
          if (cancelled) return;
          const now = performance.now();
          setSession({ status: "ready", client: scorer, info, timing: { loadMs: now - started, sinceNavigationMs: navigationLoaded ? now : null }, batchThreads: null });
          scorer.batchInfo("main").then(
            (batch) => {
              if (!cancelled) setSession((s) => (s.status === "ready" && s.client === scorer ? { ...s, batchThreads: batch.threads } : s));
            },
            () => undefined,
          );
        },
        (error: unknown) => {
          if (!cancelled) setSession({ status: "failed", ...describeError(error) });
        },
      );
    return () => {
      cancelled = true;
      paint.cancel();
      scorer.terminate();
    };
  }, [name, version, wasmPaths, modelDigest]);
  return session;
}

interface PredictionState {
  prediction: RowPrediction;
  /** The inputs the prediction answered, explained beside it. */
  row: InputRow;
  runMs: number;
  roundTripMs: number;
  /** Which runtime answered: this page's onnxruntime-web, or the server's onnxruntime-node while the page's loads
   * ("server-early": asked by the early-answer script before this page was hydrated). */
  scoredBy: "page" | "server" | "server-early";
  /** performance.now() when Predict was pressed and when its answer arrived (the bench reads them from the page). */
  askedAt: number;
  answeredAt: number;
}

function describeError(error: unknown): { message: string; operator: string | null; sentence?: ServerSentence } {
  if (error instanceof ScoringError) return { message: error.message, operator: error.operator };
  if (error instanceof ModelFileError) return { message: error.message, operator: null, sentence: error.sentence };
  return { message: error instanceof Error ? error.message : String(error), operator: null };
}

/**
 * modelDigest: the version's bytes' digest when the server knows it, so the model's URL is cached for good.
 * initialDetail: the version as the server page read it, so the form and Predict are rendered with the HTML.
 * trainingProfile: its training profile's columns as the server page read them (null: none), so the HTML's fields are
 * the ones the form's server action reads; undefined: the page asks for them.
 */
export function PlaygroundPage({
  name,
  version,
  ortVersion,
  modelDigest = null,
  initialDetail = null,
  trainingProfile,
}: {
  name: string;
  version: string;
  ortVersion: string;
  modelDigest?: string | null;
  initialDetail?: ModelVersionDetail | null;
  trainingProfile?: ProfiledColumn[] | null;
}) {
  const t = useTranslations("playground");
  const trpc = useTRPC();
  const wasmPaths = ortWasmPaths(ortVersion);
  const session = usePlaygroundSession(name, version, wasmPaths, modelDigest);
  const versionQuery = useQuery({ ...trpc.registry.version.queryOptions({ name, version }), initialData: initialDetail ?? undefined });
  const modelQuery = useQuery(trpc.registry.model.queryOptions({ name }));
  const detail = versionQuery.data;
  const versions = useMemo(() => modelQuery.data?.versions.map((v) => ({ version: v.version, aliases: v.aliases })) ?? [], [modelQuery.data]);
  // The registry validated it with zOnnxIntrospection when it registered the version.
  const introspection = (detail?.introspection ?? null) as OnnxIntrospection | null;
  const versionHref = `/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`;
  const breadcrumb = (
    <p className={ui.breadcrumb}>
      <Link href="/models">{t("models")}</Link> / <Link href={`/models/${encodeURIComponent(name)}`}>{name}</Link> / <Link href={versionHref}>{t("versionCrumb", { version })}</Link> /
    </p>
  );

  if (versionQuery.error) {
    return (
      <>
        {breadcrumb}
        <h1>{t("title")}</h1>
        <QueryError error={versionQuery.error} onRetry={() => void versionQuery.refetch()} />
      </>
    );
  }
  if (!detail) {
    return (
      <>
        {breadcrumb}
        <h1>{t("title")}</h1>
        <p role="status">{t("loadingVersion")}</p>
      </>
    );
  }
  const blockers = introspection === null
    ? [t("blocked.noIntrospection")]
    : [...introspection.unsupportedInBrowser, ...(introspection.usesZipMap && introspection.unsupportedInBrowser.length === 0 ? [t("blocked.zipMap")] : [])];
  const versionLink = (chunks: ReactNode) => <Link href={versionHref}>{chunks}</Link>;
  return (
    <>
      {breadcrumb}
      <h1>{t.rich("heading", { name, version, muted: (chunks) => <span className={ui.muted}>{chunks}</span> })}</h1>
      {blockers.length > 0 || introspection === null ? (
        <div className={ui.panel} role="alert">
          <h2 className={ui.panelTitle}>{t("blocked.title")}</h2>
          <ul>
            {blockers.map((blocker) => (
              <li key={blocker}>{blocker}</li>
            ))}
          </ul>
          <p>
            {t.rich(introspection?.usesZipMap ? "blocked.deriveHint" : "blocked.reexportHint", { version, link: versionLink })}
          </p>
        </div>
      ) : (
        <RunnablePlayground
          name={name}
          version={version}
          ortVersion={ortVersion}
          wasmPaths={wasmPaths}
          session={session}
          introspection={introspection}
          lineage={detail.lineage}
          trainingProfile={trainingProfile}
          versions={versions}
        />
      )}
    </>
  );
}

function RunnablePlayground({
  name,
  version,
  ortVersion,
  wasmPaths,
  session,
  introspection,
  lineage,
  trainingProfile,
  versions,
}: {
  name: string;
  version: string;
  ortVersion: string;
  wasmPaths: string;
  session: SessionState;
  introspection: OnnxIntrospection;
  lineage: unknown;
  trainingProfile: ProfiledColumn[] | null | undefined;
  versions: { version: string; aliases: string[] }[];
}) {
  const t = useTranslations("playground");
  const said = useSaidProblem();
  const errorText = useModelInputErrorText();
  const locale = useLocale();
  const trpc = useTRPC();
  const id = useId();
  const inputs: ModelInputInfo[] = introspection.inputs;

  const dataset = useMemo(() => trainingDatasetOf(lineage), [lineage]);
  // The profile only names and bounds the fields; without it (none, or no permission to read it) the form still works.
  // The server page reads it with the version (the form's server action builds the same fields); asked for here otherwise.
  const profileQuery = useQuery({
    ...trpc.datasets.version.queryOptions(dataset ?? { name: "-", version: 1 }),
    enabled: dataset !== null && trainingProfile === undefined,
    retry: false,
  });
  const profileColumns = trainingProfile !== undefined ? trainingProfile : (profileQuery.data?.profile?.columns ?? null);
  const plan = useMemo(() => playgroundInputPlan(introspection, profileColumns), [introspection, profileColumns]);

  // Predict pressed before this page's JavaScript ran (or without it) posts the form to the server, which renders the
  // page again with this state: the posted row, and its prediction or the fields' messages. Once hydrated, Predict
  // stays on the page (onSubmit below) and the post is never made.
  const permalink = `/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/playground`;
  const [formState, formAction] = useActionState(predictPlaygroundFormRow, null, permalink);
  const hydrated = useHydrated();

  const [edited, setEdited] = useState<InputRow | null>(() => formState?.row ?? null);
  const [jsonDraft, setJsonDraft] = useState<string | null>(null);
  const defaultRow = useMemo(() => defaultInputRow(plan), [plan]);
  const row = edited ?? defaultRow;
  // The tools below the form (compare, latency, response curve) read the row when they are used, not on every change
  // of a field: they are not redrawn while someone types.
  const rowRef = useRef(row);
  useLayoutEffect(() => {
    rowRef.current = row;
  }, [row]);
  const readRow = useCallback(() => rowRef.current, []);
  const jsonText = jsonDraft ?? JSON.stringify(row, null, 2);
  // The form's row is checked too: an emptied number box is not a number (null in the JSON) and must not reach ORT as NaN.
  const jsonProblems = useMemo(
    () => parseInputJson(plan, jsonText).problems.map((problem) => ({ message: said(problem.sentence, problem.message), line: problem.line })),
    [plan, jsonText, said],
  );

  const trpcClient = useTRPCClient();
  // A server answer still in flight when the page's runtime answers a later Predict must not replace that answer.
  const latestAsk = useRef(0);
  const [prediction, setPrediction] = useState<PredictionState | null>(null);
  const [predictError, setPredictError] = useState<{ message: string; operator: string | null } | null>(null);
  const [isolated, setIsolated] = useState<boolean | null>(null);
  // Shown even when loading fails: without isolation ORT runs on one thread.
  useEffect(() => queueMicrotask(() => setIsolated(window.crossOriginIsolated)), []);

  const client = session.status === "ready" ? session.client : null;
  // Until this page's runtime is ready (its 14 MB wasm fetched and compiled), the server's onnxruntime-node answers
  // Predict for this very version; the page takes over silently once it can.
  const serverAnswers = session.status === "loading";
  const canPredict = client !== null || serverAnswers;
  const [predictReadyAt, setPredictReadyAt] = useState<number | null>(null);
  useEffect(() => {
    // Read when the enabled button was committed; set a moment later (no state update inside the effect itself).
    if (!canPredict || predictReadyAt !== null) return;
    const at = performance.now();
    queueMicrotask(() => setPredictReadyAt(at));
  }, [canPredict, predictReadyAt]);

  const onFieldChange = useCallback(
    (key: string, value: FieldValue) => {
      setEdited((current) => ({ ...(current ?? defaultRow), [key]: value }));
      setJsonDraft(null);
    },
    [defaultRow],
  );

  function onJsonChange(text: string) {
    if (text === jsonText) return;
    setJsonDraft(text);
    const parsed = parseInputJson(plan, text);
    if (parsed.row) setEdited(parsed.row);
  }

  // The server's answer to a posted form, shown until Predict is pressed on the page or a field changes.
  // A Predict pressed before hydration was answered by the early-answer script (early-predict-script.ts) in the element
  // below, which React renders empty and leaves alone; once hydrated, the page takes that answer (or the one still in
  // flight) as its own and drops the element in the same paint, and from then on answers Predict itself.
  const [earlyAnswerOpen, setEarlyAnswerOpen] = useState(true);
  useLayoutEffect(() => {
    const early = (window as unknown as Record<string, EarlyPredict | undefined>)[EARLY_PREDICT_GLOBAL];
    const ask = ++latestAsk.current;
    const adopt = (answer: EarlyAnswer) => {
      setEdited(answer.row);
      setJsonDraft(null);
      setPrediction({
        prediction: readPredictions(answer.prediction.outputs)[0],
        row: answer.row,
        runMs: answer.prediction.runMs,
        roundTripMs: answer.answeredAt - answer.askedAt,
        scoredBy: "server-early",
        askedAt: answer.askedAt,
        answeredAt: answer.answeredAt,
      });
    };
    const handed = early?.handOver((late) => {
      if (ask === latestAsk.current) adopt(late);
      setEarlyAnswerOpen(false);
    });
    // A press in flight: the script draws its answer in the element, kept until then (the page's own Predict closes it).
    if (handed?.pending) return;
    // Set a moment later, still before the browser paints (no state update inside the effect itself).
    queueMicrotask(() => {
      if (handed?.shown) adopt(handed.shown);
      setEarlyAnswerOpen(false);
    });
  }, []);

  const formResult = formState !== null && formState.row === edited && prediction === null && predictError === null ? formState : null;
  const formPrediction = useMemo(() => (formResult?.prediction ? readPredictions(formResult.prediction.outputs)[0] : null), [formResult]);
  // The server's words for the posted row, in the reader's language where it sent them as sentences.
  const formFieldErrors = useMemo(
    () => (formResult ? Object.fromEntries(Object.entries(formResult.fieldErrors).map(([key, message]) => [key, said(formResult.fieldSentences?.[key], message)])) : undefined),
    [formResult, said],
  );

  function onPredictSubmit(event: FormEvent<HTMLFormElement>) {
    // Hydrated: the page's own path (the server's tRPC answer until this page's runtime is ready, then ORT here).
    event.preventDefault();
    if (jsonProblems.length === 0) void predict();
  }

  async function predict() {
    if (!canPredict) return;
    setPredictError(null);
    // The page answers from now on: an early answer still in flight is not drawn beside this one.
    setEarlyAnswerOpen(false);
    const askedAt = performance.now();
    const ask = ++latestAsk.current;
    try {
      const feeds = feedsFromRows(plan, inputs, [row]);
      if (client) {
        const result = await client.run("main", feeds);
        setPrediction({ prediction: readPredictions(result.outputs)[0], row, runMs: result.runMs, roundTripMs: result.roundTripMs, scoredBy: "page", askedAt, answeredAt: performance.now() });
      } else {
        const answer = trpcClient.registry.scorePlaygroundRow.mutate({ name, version, feeds: plainFeeds(feeds) });
        serverAnswersInFlight.add(answer);
        const result = await answer.finally(() => serverAnswersInFlight.delete(answer));
        const answeredAt = performance.now();
        if (ask !== latestAsk.current) return;
        setPrediction({ prediction: readPredictions(result.outputs)[0], row, runMs: result.runMs, roundTripMs: answeredAt - askedAt, scoredBy: "server", askedAt, answeredAt });
      }
    } catch (error) {
      if (ask !== latestAsk.current) return;
      setPrediction(null);
      setPredictError({ ...describeError(error), message: errorText(error) });
    }
  }

  return (
    <>
      <p className={styles.facts} aria-label={t("facts.label")}>
        <span>{t("facts.ort", { version: ortVersion })}</span>
        <span>
          {session.status === "loading" ? (
            <>
              {t("facts.loadingModel")}
              {predictReadyAt !== null ? (
                <span data-testid="predict-ready" data-since-navigation-ms={sinceNavigation(predictReadyAt)}>
                  {" "}{t("facts.serverMeanwhile")}
                </span>
              ) : null}
            </>
          ) : session.status === "ready" ? (
            <span
              data-testid="model-load"
              data-load-ms={session.timing.loadMs.toFixed(1)}
              data-since-navigation-ms={session.timing.sinceNavigationMs?.toFixed(1) ?? ""}
              data-predict-ready-since-navigation-ms={predictReadyAt !== null ? sinceNavigation(predictReadyAt) : ""}
            >
              {t("facts.modelLoaded", { ms: session.timing.loadMs })}
              {session.timing.sinceNavigationMs !== null ? t("facts.readyAfter", { ms: session.timing.sinceNavigationMs }) : ""}
            </span>
          ) : (
            t("facts.modelFailed")
          )}
        </span>
        <span>{t(isolated === null ? "facts.isolatedUnknown" : isolated ? "facts.isolatedYes" : "facts.isolatedNo")}</span>
        {session.status === "ready" ? (
          <span data-testid="scoring-places">
            {t("facts.scoringPlaces", { known: session.batchThreads === null ? "no" : "yes", threads: session.batchThreads ?? 0 })}
            {!session.info.crossOriginIsolated ? t("facts.notIsolatedThreads") : ""}
          </span>
        ) : null}
        {dataset ? (
          <span>
            {t.rich("facts.fieldsFrom", {
              name: dataset.name,
              version: dataset.version,
              link: (chunks) => <Link href={`/datasets/${encodeURIComponent(dataset.name)}/versions/${dataset.version}`}>{chunks}</Link>,
            })}
            {profileQuery.isLoading ? t("facts.profileLoading") : profileColumns ? "" : t("facts.noProfile")}
          </span>
        ) : (
          <span>{t("facts.noDataset")}</span>
        )}
      </p>
      {session.status === "failed" ? <RuntimeError error={{ ...session, message: said(session.sentence, session.message) }} what={t("loadFailed")} /> : null}
      {plan.problems.length ? (
        <div className={ui.panel} role="alert">
          <p>{t("planProblems")}</p>
          <ul>
            {plan.problems.map((problem, i) => (
              <li key={problem}>{said(plan.problemSentences?.length === plan.problems.length ? plan.problemSentences[i] : null, problem)}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <section className={ui.panel} aria-labelledby={`${id}-inputs`}>
        <h2 id={`${id}-inputs`} className={ui.panelTitle}>
          {t("inputs")}
        </h2>
        {/* Posted by the browser itself when Predict is pressed before hydration (or without JavaScript); noValidate: a
            value outside the training range is the user's to try, as on the page. */}
        <form action={formAction} onSubmit={onPredictSubmit} noValidate {...{ [EARLY_FORM_ATTRIBUTE]: "" }}>
        <input type="hidden" name="model" value={name} />
        <input type="hidden" name="modelVersion" value={version} />
        <div className={styles.columns}>
          <InputForm plan={plan} row={row} onFieldChange={onFieldChange} idPrefix={`${id}-field`} errors={formFieldErrors} />
          <div className={ui.field}>
            <label htmlFor={`${id}-json`}>{t("inputsJson")}</label>
            <JsonInputsEditor id={`${id}-json`} value={jsonText} onChange={onJsonChange} errors={jsonProblems} loadEditor={session.status !== "loading"} />
          </div>
        </div>
        <div className={ui.toolbar} style={{ marginTop: "1rem" }}>
          {/* Enabled in the server's HTML: there it posts the form (the fields' messages come back from the server). */}
          <button type="submit" className={ui.button} disabled={!canPredict || (hydrated && jsonProblems.length > 0)}>
            {t("predict")}
          </button>
          {hydrated && jsonProblems.length ? <span className={ui.error}>{t("fixInputs")}</span> : null}
        </div>
        </form>
        <section aria-label={t("prediction")} aria-live="polite">
          {earlyAnswerOpen ? <div className={styles.early} {...{ [EARLY_ANSWER_ATTRIBUTE]: "" }} suppressHydrationWarning>{""}</div> : null}
          {predictError ? <RuntimeError error={predictError} what={t("predictionFailed")} /> : null}
          {formResult?.error ? <RuntimeError error={{ message: said(formResult.errorSentence, formResult.error), operator: null }} what={t("predictionFailed")} /> : null}
          {prediction ? (
            <>
              <PredictionSummary prediction={prediction.prediction} />
              <p
                className={styles.hint}
                data-testid="latency"
                data-scored-by={prediction.scoredBy}
                data-asked-since-navigation-ms={sinceNavigation(prediction.askedAt)}
                data-answered-since-navigation-ms={sinceNavigation(prediction.answeredAt)}
              >
                {earlyLatencyText(
                  t(prediction.scoredBy === "server-early" ? "latency.early" : prediction.scoredBy === "page" ? "latency.page" : "latency.server", latencyPlaceholders),
                  locale,
                  prediction.runMs,
                  prediction.roundTripMs,
                )}
              </p>
              <PlaygroundExplanation client={client} plan={plan} inputs={inputs} row={prediction.row} dataset={dataset} />
            </>
          ) : formResult?.prediction && formPrediction ? (
            <>
              <PredictionSummary prediction={formPrediction} />
              <p className={styles.hint} data-testid="latency" data-scored-by="server-form">
                {earlyLatencyText(t("latency.form", latencyPlaceholders), locale, formResult.prediction.runMs, 0)}
              </p>
              <PlaygroundExplanation client={client} plan={plan} inputs={inputs} row={formResult.row ?? row} dataset={dataset} />
            </>
          ) : (
            <p className={`${ui.muted} ${styles.waiting}`}>{t("waiting")}</p>
          )}
        </section>
      </section>

      <PlaygroundTools client={client} name={name} version={version} versions={versions} plan={plan} inputs={inputs} readRow={readRow} wasmPaths={wasmPaths} />
    </>
  );
}

/** The playground's tools under the form. Memoised with readRow (stable) instead of the row: a change of a field
 * does not redraw them, each reads the row when it runs. */
const PlaygroundTools = memo(function PlaygroundTools({
  client,
  name,
  version,
  versions,
  plan,
  inputs,
  readRow,
  wasmPaths,
}: {
  client: PlaygroundScorer | null;
  name: string;
  version: string;
  versions: { version: string; aliases: string[] }[];
  plan: InputPlan;
  inputs: ModelInputInfo[];
  readRow: () => InputRow;
  wasmPaths: string;
}) {
  const { params, update } = useUrlState();
  return (
    <>
      <BatchScoring client={client} plan={plan} inputs={inputs} modelName={name} />
      <ChampionChallenger
        client={client}
        name={name}
        version={version}
        versions={versions}
        plan={plan}
        inputs={inputs}
        readRow={readRow}
        selected={params.get("compare")}
        onSelect={(other) => update({ compare: other })}
        modelUrl={(other) => modelBytesUrl(name, other)}
        wasmPaths={wasmPaths}
      />
      <LatencyCheck client={client} plan={plan} inputs={inputs} readRow={readRow} />
      <ResponseCurve client={client} plan={plan} inputs={inputs} readRow={readRow} feature={params.get("feature")} onFeature={(feature) => update({ feature })} />
    </>
  );
});

const noSubscription = () => () => undefined;

/** False in the server's HTML and while React hydrates it, true once this page's scripts run it. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

/** A moment of this document as milliseconds since the playground was opened, or "" when it came by another page. */
function sinceNavigation(at: number): string {
  return documentLoadedFor(window.location.pathname) ? at.toFixed(1) : "";
}

/** True when the browser loaded this document for this path (so navigation start is when the playground was opened). */
function documentLoadedFor(pathname: string): boolean {
  const entry = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  return entry !== undefined && new URL(entry.name).pathname === pathname;
}

/** True when this document was loaded for another page and the playground came in by client-side navigation. */
function arrivedBySoftNavigation(): boolean {
  if (window.crossOriginIsolated) return false;
  const entry = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  return entry !== undefined && new URL(entry.name).pathname !== window.location.pathname;
}

/** A latency line's placeholders, kept for earlyLatencyText to write the numbers in the reader's way. */
const latencyPlaceholders = { runMs: "{runMs}", roundTripMs: "{roundTripMs}" };

function RuntimeError({ error, what }: { error: { message: string; operator: string | null }; what: string }) {
  const t = useTranslations("playground");
  return (
    <div className={ui.panel} role="alert">
      <p className={ui.error}>
        {error.operator ? t.rich("unsupportedOperator", { what, operator: error.operator, strong: (chunks) => <strong>{chunks}</strong> }) : t("failed", { what })}
      </p>
      <pre className={ui.snippet}>{error.message}</pre>
    </div>
  );
}
