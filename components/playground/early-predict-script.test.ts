// The early answer's words come from the page (the reader's catalogue), not from a copy in the script: its latency line
// reads as the hydrated page's in each language, and the script's source carries the texts it is given and no other.
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { catalogues } from "@/messages";
import type { Locale } from "@/lib/i18n/locales";
import { earlyLatencyText, earlyPredictScriptSource, type EarlyAnswerTexts } from "./early-predict-script";

const classes = { bars: "b", bar: "r", predicted: "p", track: "t", fill: "f", hint: "h" };

/** The texts as the server page makes them (app/(studio)/models/[name]/versions/[version]/playground/page.tsx). */
function textsIn(locale: Locale): EarlyAnswerTexts {
  const t = createTranslator({ locale, messages: catalogues[locale], namespace: "playground" });
  return { locale, predictedLabel: t("predictedLabel"), outputName: t("outputName", { name: "{name}" }), latency: t("latency.early", { runMs: "{runMs}", roundTripMs: "{roundTripMs}" }) };
}

describe("early answer texts", () => {
  it("say the latency line in English as before the catalogue, and in French with French numbers", () => {
    const en = textsIn("en");
    expect(earlyLatencyText(en.latency, "en", 0.5234, 1234.5)).toBe(
      "Latency: 0.52 ms in ONNX Runtime, 1234.50 ms in all (scored on the server by onnxruntime-node: Predict was pressed before this page's scripts ran)",
    );
    expect(en.predictedLabel).toBe("Predicted label:");
    expect(en.outputName.replace("{name}", "variable")).toBe("variable:");
    const fr = textsIn("fr");
    expect(earlyLatencyText(fr.latency, "fr", 0.5234, 1234.5)).toMatch(/^Latence\u00a0: 0,52 ms dans ONNX Runtime, 1234,50 ms en tout \(calculée sur le serveur/);
    expect(fr.predictedLabel).toBe("Étiquette prédite\u00a0:");
  });

  it("are the script's only words: its source carries the texts it was given, no English of its own", () => {
    const fr = textsIn("fr");
    const source = earlyPredictScriptSource("/api/models/m/versions/1/playground-row", classes, fr);
    expect(source).toContain(JSON.stringify(fr.latency));
    expect(source).toContain(JSON.stringify(fr.predictedLabel));
    for (const english of ["Predicted label", "Latency:", "in all", "scored on"]) expect(source).not.toContain(english);
    // The script runs as it is sent: it parses.
    expect(() => new Function(source)).not.toThrow();
  });

  it("cannot be closed by a text: a catalogue text with </script> stays inside the script", () => {
    const source = earlyPredictScriptSource("/x", classes, { ...textsIn("en"), predictedLabel: "</script><b>x" });
    expect(source).not.toMatch(/<\/script/i);
  });
});
