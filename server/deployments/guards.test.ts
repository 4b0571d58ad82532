// A guard's reasons as the Deployments page says them: each crossed rule keeps a catalogue code with its numbers beside
// the English sentence (audit, webhooks, API), and the page's words in either language carry the same numbers.
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { catalogues } from "@/messages";
import { sentence, sentenceText, type SentenceTranslator, type ServerSentence } from "@/lib/i18n/server-sentence";
import { saidError } from "../errors";
import { crossedRules, rollbackNotRun } from "./guards";
import { defaultGuardRules, type RouteStats } from "./schema";

function sayIn(locale: "en" | "fr", message: ServerSentence, fallback = "(fallback)"): string {
  return sentenceText(createTranslator({ locale, messages: catalogues[locale], namespace: "sentences" }) as unknown as SentenceTranslator, message, fallback);
}

const canary: RouteStats = {
  route: "canary",
  version: "7",
  requests: 35,
  rows: 35,
  errors: 5,
  errorRate: 5 / 40,
  latencyP50: 3,
  latencyP99: 84.25,
  liveMetric: { name: "accuracy", value: 0.8125, count: 32 },
  realisedPer1000: null,
  expectedPer1000: null,
};
const rules = { ...defaultGuardRules, maxErrorRate: 0.1, maxP99Ms: 50, maxLiveMetricDrop: 0.05, minRequests: 20 };
const productionMetric = { name: "accuracy" as const, value: 0.9, count: 400 };

describe("guard reasons", () => {
  const reasons = crossedRules(canary, rules, productionMetric);

  it("keep each crossed rule as a code with its numbers, beside the English sentence", () => {
    expect(reasons.map((r) => r.message)).toEqual([
      { code: "guard.error_rate", params: { route: "canary", version: "7", errors: 5, answered: 40, rate: 0.125, limit: 0.1 } },
      { code: "guard.p99_latency", params: { route: "canary", version: "7", p99: 84.25, limit: 50 } },
      { code: "guard.live_metric", params: { route: "canary", version: "7", metric: "accuracy", value: 0.8125, baseline: 0.9, drop: expect.closeTo(0.0875, 12), limit: 0.05 } },
    ]);
    expect(reasons.map((r) => r.text)).toEqual([
      "canary v7 failed 5 of 40 requests (12.5%), at or above the 10% limit",
      "canary v7 p99 latency is 84.3 ms, at or above the 50 ms limit",
      "canary v7 live accuracy is 0.813 against 0.900 (worse by 0.088, limit 0.05)",
    ]);
  });

  it("read in English as the server wrote them, and in French with the same numbers", () => {
    for (const reason of reasons) expect(sayIn("en", reason.message)).toBe(reason.text);
    // French writes 12,5 % with a narrow no-break space before the sign; Intl says which.
    const pct = (share: number) => new Intl.NumberFormat("fr", { style: "percent", maximumFractionDigits: 1 }).format(share);
    expect(reasons.map((r) => sayIn("fr", r.message))).toEqual([
      `canari v7\u00a0: 5 requêtes sur 40 en échec (${pct(0.125)}), à la limite de ${pct(0.1)} ou au-delà`,
      "canari v7\u00a0: latence p99 de 84,3 ms, à la limite de 50 ms ou au-delà",
      "canari v7\u00a0: exactitude en direct de 0,813 contre 0,900 (moins bonne de 0,088, limite 0,05)",
    ]);
  });

  it("say a stopped canary with all its reasons, in the reader's language", () => {
    const action: ServerSentence = { code: "guard_action.canary_stopped", params: { version: "7", reasons: reasons.slice(0, 2).map((r) => r.message) } };
    expect(sayIn("en", action)).toBe(`Canary v7 stopped: ${reasons[0]!.text}; ${reasons[1]!.text}`);
    expect(sayIn("fr", action)).toMatch(/^Canari v7 arrêté\u00a0: canari v7\u00a0: 5 requêtes sur 40 en échec .*\u00a0; canari v7\u00a0: latence p99 de 84,3 ms/);
  });

  it("judge RMSE rising, and production by its own name", () => {
    const production: RouteStats = { ...canary, route: "production", version: "3", errors: 0, errorRate: 0, latencyP99: 1, liveMetric: { name: "rmse", value: 2.5, count: 50 } };
    const [rise] = crossedRules(production, rules, { name: "rmse", value: 2, count: 50 });
    expect(rise!.message).toEqual({ code: "guard.live_metric", params: { route: "production", version: "3", metric: "rmse", value: 2.5, baseline: 2, drop: 0.5, limit: 0.05 } });
    expect(sayIn("en", rise!.message)).toBe(rise!.text);
    expect(sayIn("fr", rise!.message)).toBe("production v3\u00a0: RMSE en direct de 2,500 contre 2,000 (moins bonne de 0,500, limite 0,05)");
  });
});

describe("an automatic rollback that did not run", () => {
  it("says the refusal in the reader's language when it has a code, and quotes it in English otherwise", () => {
    const refusal = saidError(
      "INVALID_STATE",
      "Model 'bc' v1 is the first production version on record: there is no earlier version to roll back to.",
      sentence("error.rollback.first_version", { model: "bc", version: "1" }),
    );
    const warning = rollbackNotRun(refusal);
    expect(warning.text).toBe("auto-rollback did not run: Model 'bc' v1 is the first production version on record: there is no earlier version to roll back to.");
    expect(sayIn("en", warning.message)).toBe(warning.text);
    expect(sayIn("fr", warning.message)).toBe(
      "le retour arrière automatique n’a pas eu lieu\u00a0: «\u00a0bc\u00a0» v1 est la première version en production connue\u00a0: il n’y a pas de version antérieure où revenir.",
    );
    // An error the catalogue has no words for is quoted as the server said it, inside the French sentence.
    expect(sayIn("fr", rollbackNotRun(new Error("disk full")).message)).toBe("le retour arrière automatique n’a pas eu lieu\u00a0: disk full");
  });
});
