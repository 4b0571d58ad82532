// The playground's early answer: an inline script, run by the browser as it parses the page (before the app's bundles
// and React), that answers a Predict pressed before hydration. It keeps the browser from posting the form, sends the
// form's fields to the JSON route (server/registry/playground-row-http.ts: the form's caller checks, the same scoring),
// and writes the answer with textContent into the Prediction section's early element, which React renders empty and
// leaves alone while hydrating (suppressHydrationWarning on a text-only element). Once hydrated, the page takes over
// (handOver): it adopts an answer already shown, or one still in flight, and from then on the page answers Predict.
// Without JavaScript the form posts to its server action as before; a refused or failed early request falls back to
// that same post, so the server renders the fields' messages.
import type { InputRow } from "@/lib/model-inputs";
import type { PlainOutputs } from "@/lib/ort-plain-tensors";
import type { PredictionDisplay } from "./prediction-format";

/** What the route answers for a scored row (its JSON body), with the press's and the answer's moments on this page. */
export interface EarlyAnswer {
  row: InputRow;
  prediction: { outputs: PlainOutputs; runMs: number };
  shown: PredictionDisplay;
  /** performance.now() when Predict was pressed and when the answer arrived. */
  askedAt: number;
  answeredAt: number;
}

export interface EarlyPredict {
  /**
   * Called once by the hydrated page: the script stops answering Predict. Returns the answer it has shown (or null),
   * and whether a press is still in flight: its answer is still drawn by the script the moment it arrives (no wait for
   * a React render, which a page starting ORT can hold up for seconds), then given to `late`. One that fails posts the
   * form, as before hydration.
   */
  handOver(late: (answer: EarlyAnswer) => void): { shown: EarlyAnswer | null; pending: boolean };
  /**
   * Resolves once no press is in flight (at once when none is). The page starts its own runtime only then: that start
   * is one long task on the main thread (0.1–0.4 s), and an answer arriving during it was drawn only after it.
   */
  idle(): Promise<void>;
}

/** The global the script sets and the page reads. */
export const EARLY_PREDICT_GLOBAL = "__playgroundEarlyPredict";
/** The form the script answers for, and the element it writes the answer into. */
export const EARLY_FORM_ATTRIBUTE = "data-playground-form";
export const EARLY_ANSWER_ATTRIBUTE = "data-playground-early-answer";

/** Class names of the page's CSS module the answer is drawn with, so it looks as React will draw it. */
export interface EarlyAnswerClasses {
  bars: string;
  bar: string;
  predicted: string;
  track: string;
  fill: string;
  hint: string;
}

/**
 * The page's texts for the answer, from the catalogue (messages/<locale>/playground.json) as the server page rendered
 * them: the script keeps no copy of its own. `outputName` holds "{name}", `latency` "{runMs}" and "{roundTripMs}",
 * filled in by the script (earlyLatencyText for the numbers, in `locale`'s way).
 */
export interface EarlyAnswerTexts {
  locale: string;
  predictedLabel: string;
  outputName: string;
  latency: string;
}

/**
 * A latency line's template with its milliseconds written in: two decimals in the reader's language, no grouping (as
 * toFixed(2) wrote them in English). Self-contained: the script runs its source, and the page calls it for the same words.
 */
export function earlyLatencyText(template: string, locale: string, runMs: number, roundTripMs: number): string {
  const ms = (value: number) => new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false }).format(value);
  return template.replace("{runMs}", () => ms(runMs)).replace("{roundTripMs}", () => ms(roundTripMs));
}

/**
 * The script's body. Self-contained (it is sent as source text): no imports, no outer names; plain promises. `latency`
 * is earlyLatencyText's source, passed in so the page and the script say the same words.
 */
function earlyPredict(config: { endpoint: string; global: string; formAttribute: string; answerAttribute: string; classes: EarlyAnswerClasses; texts: EarlyAnswerTexts; latency: typeof earlyLatencyText }): void {
  let handedOver = false;
  let shown: EarlyAnswer | null = null;
  let late: ((answer: EarlyAnswer) => void) | null = null;
  /** The last press's number, and the last one answered (or failed): equal when nothing is in flight. */
  let latest = 0;
  let settled = 0;
  let idleWaiters: (() => void)[] = [];
  (window as unknown as Record<string, EarlyPredict>)[config.global] = {
    handOver(receive) {
      handedOver = true;
      late = receive;
      const pending = settled !== latest;
      // Nothing in flight: nothing more will come.
      if (!pending) late = null;
      return { shown, pending };
    },
    idle() {
      return settled === latest ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
  const wakeIdle = (): void => {
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
  const element = (tag: string, text?: string, className?: string): HTMLElement => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  const draw = (answer: EarlyAnswer): void => {
    const box = document.querySelector(`[${config.answerAttribute}]`);
    if (!box) return;
    const parts: HTMLElement[] = [];
    const { label, probabilities, values } = answer.shown;
    if (label !== null) {
      const line = element("p", `${config.texts.predictedLabel} `);
      const strong = element("strong", label);
      strong.setAttribute("data-testid", "predicted-label");
      line.append(strong);
      parts.push(line);
    }
    if (probabilities) {
      const list = element("ul", undefined, config.classes.bars);
      for (const p of probabilities) {
        const item = element("li", undefined, `${config.classes.bar} ${p.best ? config.classes.predicted : ""}`);
        const track = element("span", undefined, config.classes.track);
        track.setAttribute("aria-hidden", "true");
        const fill = element("span", undefined, config.classes.fill);
        fill.style.display = "block";
        fill.style.width = `${p.widthPercent}%`;
        track.append(fill);
        item.append(element("span", p.name), track, element("span", p.text));
        list.append(item);
      }
      parts.push(list);
    }
    for (const value of values) {
      const line = element("p", `${config.texts.outputName.replace("{name}", () => value.name)} `);
      line.append(element("strong", value.text));
      parts.push(line);
    }
    const latency = element("p", config.latency(config.texts.latency, config.texts.locale, answer.prediction.runMs, answer.answeredAt - answer.askedAt), config.classes.hint);
    latency.setAttribute("data-testid", "latency");
    latency.setAttribute("data-scored-by", "server-early");
    parts.push(latency);
    box.replaceChildren(...parts);
  };
  const send = (form: HTMLFormElement): void => {
    const body = new URLSearchParams();
    for (const [name, value] of new FormData(form)) if (typeof value === "string") body.append(name, value);
    const askedAt = performance.now();
    const ask = ++latest;
    fetch(config.endpoint, { method: "POST", body, credentials: "same-origin", headers: { accept: "application/json" } })
      .then((response) => (response.ok ? (response.json() as Promise<Omit<EarlyAnswer, "askedAt" | "answeredAt">>) : null))
      .catch(() => null)
      .then((body) => {
        if (ask !== latest) return;
        settled = ask;
        if (!body) {
          // Refused (a field's value, the session) or unreachable: the form's own post, answered with the page.
          HTMLFormElement.prototype.submit.call(form);
          wakeIdle();
          return;
        }
        const answer = { ...body, askedAt, answeredAt: performance.now() };
        shown = answer;
        // Drawn at once, also when the page has hydrated meanwhile: it keeps the element until it has adopted this.
        draw(answer);
        const receive = late;
        late = null;
        receive?.(answer);
        wakeIdle();
      });
  };
  const ours = (form: unknown): form is HTMLFormElement => !handedOver && form instanceof HTMLFormElement && form.hasAttribute(config.formAttribute);
  // On the window, capturing: before React's own listeners (on the document). A press reaches the page only when its
  // main thread is free, by then usually after React has started hydrating: React would take the click and hydrate
  // the whole page synchronously before the form's submit (hundreds of ms), then answer it itself. So the click on
  // Predict is taken here, before React sees it; the submit (Enter in a field) too.
  window.addEventListener(
    "click",
    (event) => {
      const button = event.target instanceof Element ? event.target.closest("button[type=submit], input[type=submit]") : null;
      const form = button ? (button as HTMLButtonElement).form : null;
      if (!ours(form) || (button as HTMLButtonElement).disabled) return;
      event.preventDefault();
      event.stopPropagation();
      send(form);
    },
    true,
  );
  window.addEventListener(
    "submit",
    (event) => {
      if (!ours(event.target)) return;
      event.preventDefault();
      event.stopPropagation();
      send(event.target);
    },
    true,
  );
}

/** The inline script's source for one version's playground. */
export function earlyPredictScriptSource(endpoint: string, classes: EarlyAnswerClasses, texts: EarlyAnswerTexts): string {
  const config = `{ endpoint: ${JSON.stringify(endpoint)}, global: ${JSON.stringify(EARLY_PREDICT_GLOBAL)}, formAttribute: ${JSON.stringify(EARLY_FORM_ATTRIBUTE)}, answerAttribute: ${JSON.stringify(EARLY_ANSWER_ATTRIBUTE)}, classes: ${JSON.stringify(classes)}, texts: ${JSON.stringify(texts)}, latency: ${earlyLatencyText.toString()} }`;
  // JSON.stringify leaves "</script>" as it is: a name cannot close the script element it is written into.
  return `(${earlyPredict.toString()})(${config});`.replace(/<\/(script)/gi, "<\\/$1");
}
