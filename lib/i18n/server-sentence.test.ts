// A server sentence falls back to the server's English text whenever the page cannot say all of it: no code stored
// (older rows), or a code this catalogue lacks anywhere inside it (a newer server than the page).
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { catalogues } from "@/messages";
import { sentence, sentenceText, type SentenceTranslator } from "./server-sentence";

const fr = createTranslator({ locale: "fr", messages: catalogues.fr, namespace: "sentences" }) as unknown as SentenceTranslator;

describe("server sentences", () => {
  it("say a known code with its values, and the stored text otherwise", () => {
    expect(sentenceText(fr, sentence("delivery.http_status", { status: 502 }), "The receiver answered HTTP 502.")).toBe("Le destinataire a répondu HTTP 502.");
    expect(sentenceText(fr, null, "The receiver answered HTTP 502.")).toBe("The receiver answered HTTP 502.");
    expect(sentenceText(fr, sentence("delivery.carrier_pigeon_lost"), "The pigeon got lost.")).toBe("The pigeon got lost.");
  });

  it("fall back whole when one of the reasons inside has an unknown code, rather than say half in French", () => {
    const stopped = sentence("guard_action.canary_stopped", { version: "4", reasons: [sentence("guard.error_rate", { route: "canary", version: "4", errors: 3, answered: 20, rate: 0.15, limit: 0.1 }), sentence("guard.moon_phase")] });
    expect(sentenceText(fr, stopped, "Canary v4 stopped: …")).toBe("Canary v4 stopped: …");
    // A word with its own fallback (a decision the catalogue does not know) is said as stored, inside the French sentence.
    const decided = sentence("event.review_decided", { actor: "ada", reviewId: "3", decision: [sentence("term.decision.veto", {}, "veto")], status: [sentence("term.status.rejected")] });
    expect(sentenceText(fr, decided, "ada decided review #3: veto; the review is now rejected.")).toBe("ada a statué sur la revue n° 3\u00a0: veto\u00a0; la revue est maintenant rejetée.");
  });
});
