// Monitoring's flag reasons: the English sentence webhooks and the technical file get, and the catalogue code a page says
// in its reader's language with the same numbers.
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { sentenceText, type SentenceTranslator, type ServerSentence } from "@/lib/i18n/server-sentence";
import { catalogues } from "@/messages";
import { flagReasons } from "./monitoring";
import { defaultMonitoringThresholds, type FeatureDrift, type MonitoringWindow } from "./schema";
import { monitoringWindow } from "../testing/monitoring-window";

function sayIn(locale: "en" | "fr", message: ServerSentence): string {
  return sentenceText(createTranslator({ locale, messages: catalogues[locale], namespace: "sentences" }) as unknown as SentenceTranslator, message, "(no wording)");
}

const start = Date.UTC(2026, 10, 25, 6);

function feature(name: string, drifted: boolean): FeatureDrift {
  return { feature: name, kind: "numeric", test: "ks", score: drifted ? 0.001 : 0.4, threshold: 0.05, drifted, psi: 0.02, psiBand: "stable", count: 120 };
}

function window(overrides: Partial<MonitoringWindow>): MonitoringWindow {
  return monitoringWindow(start, 1200, overrides);
}

describe("flag reasons", () => {
  it("say dataset drift and a live metric below its threshold in English as before, and in French with the same numbers", () => {
    const names = ["a", "b", "c", "d", "e", "f"];
    const windows = [
      window({
        datasetDrifted: true,
        features: [...names.map((n) => feature(n, true)), feature("g", false)],
        liveMetric: { name: "accuracy", value: 0.81234, count: 1234 },
      }),
    ];
    const reasons = flagReasons(windows, { ...defaultMonitoringThresholds, datasetDriftShare: 0.5, liveMetric: 0.9 }, "binary");
    expect(reasons.map((r) => r.text)).toEqual([
      "Dataset drift: 6 of 7 features drifted in the window from 2026-11-25 06:00 UTC (a, b, c, d, e, …), at or above the 50% limit.",
      "Live accuracy is 0.812 on 1234 rows with feedback, below the 0.9 threshold.",
    ]);
    for (const reason of reasons) expect(sayIn("en", reason.message)).toBe(reason.text);
    expect(reasons.map((r) => sayIn("fr", r.message))).toEqual([
      "Dérive du jeu de données\u00a0: 6 variables sur 7 ont dérivé dans la fenêtre commençant le 2026-11-25 06:00 UTC (a, b, c, d, e, …), à la limite de 50 % ou au-delà.",
      `En direct, l’exactitude vaut 0,812 sur ${new Intl.NumberFormat("fr").format(1234)} lignes avec retour, sous le seuil de 0,9.`,
    ]);
  });

  it("say a feature drift under the dataset limit and an RMSE above its threshold", () => {
    const windows = [window({ features: [feature("age", true), feature("income", false)], liveMetric: { name: "rmse", value: 12.5, count: 40 } })];
    const reasons = flagReasons(windows, { ...defaultMonitoringThresholds, liveMetric: 10 }, "regression");
    expect(reasons.map((r) => r.text)).toEqual([
      "Feature drift: 1 of 2 features drifted in the window from 2026-11-25 06:00 UTC (age).",
      "Live RMSE is 12.5 on 40 rows with feedback, above the 10 threshold.",
    ]);
    for (const reason of reasons) expect(sayIn("en", reason.message)).toBe(reason.text);
    expect(sayIn("fr", reasons[1]!.message)).toBe("RMSE en direct de 12,5 sur 40 lignes avec retour, au-dessus du seuil de 10.");
  });
});
