// Which audited actions and computations become studio events, with the sentence people read: the catalogue webhooks subscribe to.
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { catalogues } from "@/messages";
import { sentenceText, type SentenceTranslator, type ServerSentence } from "@/lib/i18n/server-sentence";
import { webhookBody } from "./dispatcher";
import { eventMessage, monitoringFlaggedEvent, qualityFailedEvent, studioEventOfAudit } from "./events";
import type { StudioEvent } from "./schema";

function sayIn(locale: "en" | "fr", message: ServerSentence | null | undefined, fallback: string): string {
  return sentenceText(createTranslator({ locale, messages: catalogues[locale], namespace: "sentences" }) as unknown as SentenceTranslator, message, fallback);
}

const ada = { userId: "u-ada", username: "ada" };

describe("studio events of audit entries", () => {
  it("announces a promotion to production, a rollback, and ignores other aliases", () => {
    expect(
      studioEventOfAudit(ada, { action: "registered_model.alias.set", targetType: "registered_model", targetId: "churn", before: { alias: "production", version: "3" }, after: { alias: "production", version: "4" } }),
    ).toMatchObject({ type: "model.promoted", text: "ada promoted version 4 of 'churn' to production (was version 3).", data: { model: "churn", version: "4", previousVersion: "3" } });
    expect(
      studioEventOfAudit(ada, { action: "registered_model.alias.set", targetType: "registered_model", targetId: "churn", before: { alias: "production", version: "4" }, after: { alias: "production", version: "3" }, meta: { rollback: true } }),
    ).toMatchObject({ type: "model.rolled_back", text: "ada rolled 'churn' back to version 3 (from version 4).", data: { automatic: false } });
    expect(studioEventOfAudit(ada, { action: "registered_model.alias.set", targetType: "registered_model", targetId: "churn", after: { alias: "champion", version: "4" } })).toBeNull();
    expect(studioEventOfAudit(ada, { action: "registered_model.alias.set", targetType: "registered_model", targetId: "churn", after: { alias: "Production", version: "4" } })?.type).toBe("model.promoted");
  });

  it("announces automatic rollbacks and stopped canaries", () => {
    const system = { userId: "system", username: "system" };
    expect(studioEventOfAudit(system, { action: "deployment.rollback.auto", targetType: "registered_model", targetId: "churn", after: { version: "3" }, meta: { reason: "error rate 12% above 5%" } })).toMatchObject({
      type: "model.rolled_back",
      text: "Production of 'churn' was rolled back automatically to version 3: error rate 12% above 5%",
      data: { automatic: true },
    });
    expect(studioEventOfAudit(system, { action: "deployment.canary.auto-stop", targetType: "registered_model", targetId: "churn", before: { version: "5" }, meta: { reason: "p99 latency 80 ms" } })).toMatchObject({
      type: "canary.stopped",
      text: "The canary of version 5 of 'churn' was stopped automatically: p99 latency 80 ms",
    });
    expect(studioEventOfAudit(ada, { action: "deployment.canary.stop", targetType: "registered_model", targetId: "churn" })).toMatchObject({
      type: "canary.stopped",
      text: "The canary of 'churn' was stopped by ada.",
      data: { automatic: false },
    });
  });

  it("announces a quality failure found by a re-check once, not while it stays failed", () => {
    const recheck = (before: string, after: string) =>
      studioEventOfAudit(ada, { action: "dataset.version.recheck", targetType: "dataset_version", targetId: "loans/eu/3", before: { qualityStatus: before }, after: { qualityStatus: after, qualityReason: "income has 12% missing" } });
    expect(recheck("passed", "failed")).toEqual(qualityFailedEvent("loans/eu", 3, "income has 12% missing"));
    expect(recheck("failed", "failed")).toBeNull();
    expect(recheck("failed", "passed")).toBeNull();
  });

  it("announces a version a person marks as failing quality", () => {
    expect(
      studioEventOfAudit(ada, { action: "dataset.version.mark-failed", targetType: "dataset_version", targetId: "loans/2", before: { qualityStatus: "passed" }, after: { qualityStatus: "failed", qualityReason: "Marked by ada: labels shifted" } }),
    ).toEqual(qualityFailedEvent("loans", 2, "Marked by ada: labels shifted"));
  });

  it("leaves unannounced actions alone", () => {
    expect(studioEventOfAudit(ada, { action: "user.create", targetType: "user", targetId: "bob" })).toBeNull();
    expect(studioEventOfAudit(ada, { action: "review.comment", targetType: "review", targetId: "3" })).toBeNull();
  });
});

describe("monitoring flags", () => {
  it("announces the step from healthy to flagged, not each new wording of a standing flag", () => {
    expect(monitoringFlaggedEvent("churn", ["drift in 4 of 10 features"], [])).toMatchObject({ type: "monitoring.flagged", text: "'churn' is flagged by monitoring: drift in 4 of 10 features" });
    expect(monitoringFlaggedEvent("churn", ["drift in 4 of 10 features"], ["drift in 4 of 10 features"])).toBeNull();
    expect(monitoringFlaggedEvent("churn", [], ["drift in 4 of 10 features"])).toBeNull();
    expect(monitoringFlaggedEvent("churn", ["drift in 5 of 10 features", "live accuracy 0.81 below 0.9"], ["drift in 4 of 10 features"])).toBeNull();
  });
});

describe("event wordings for the pages", () => {
  const system = { userId: "system", username: "system" };
  const errorRate: ServerSentence = { code: "guard.error_rate", params: { route: "canary", version: "5", errors: 6, answered: 48, rate: 0.125, limit: 0.1 } };
  const reason = "canary v5 failed 6 of 48 requests (12.5%), at or above the 10% limit";
  const events = [
    studioEventOfAudit(ada, { action: "review.request", targetType: "review", targetId: "12", after: { model: "churn/4" } }),
    studioEventOfAudit(ada, { action: "review.request", targetType: "review", targetId: "13" }),
    studioEventOfAudit(ada, { action: "review.decide", targetType: "review", targetId: "12", after: { status: "changes_requested" }, meta: { decision: "request_changes" } }),
    studioEventOfAudit(ada, { action: "registered_model.alias.set", targetType: "registered_model", targetId: "churn", before: { version: "3" }, after: { alias: "production", version: "4" } }),
    studioEventOfAudit(ada, { action: "registered_model.alias.set", targetType: "registered_model", targetId: "churn", after: { alias: "production", version: "1" } }),
    studioEventOfAudit(ada, { action: "registered_model.alias.set", targetType: "registered_model", targetId: "churn", before: { version: "4" }, after: { alias: "production", version: "3" }, meta: { rollback: true } }),
    studioEventOfAudit(system, { action: "deployment.rollback.auto", targetType: "registered_model", targetId: "churn", after: { version: "3" }, meta: { reason }, reasonMessages: [errorRate] }),
    studioEventOfAudit(system, { action: "deployment.canary.auto-stop", targetType: "registered_model", targetId: "churn", before: { version: "5" }, meta: { reason }, reasonMessages: [errorRate] }),
    studioEventOfAudit(ada, { action: "deployment.canary.stop", targetType: "registered_model", targetId: "churn", before: { version: "5" } }),
    qualityFailedEvent("loans", 2, "income has 12% missing"),
    qualityFailedEvent("loans", 2, null),
    monitoringFlaggedEvent("churn", ["drift in 4 of 10 features"], []),
  ] as StudioEvent[];

  it("word every event in English exactly as its stored text, webhooks' and API's", () => {
    for (const event of events) {
      expect(event.message, event.text).toBeTruthy();
      expect(sayIn("en", event.message, "(fallback)")).toBe(event.text);
    }
  });

  it("word them in French with the same values, a stopped canary's reasons included", () => {
    const french = events.map((event) => sayIn("fr", event.message, event.text));
    expect(french[0]).toBe("ada a demandé une revue de churn/4 (revue n° 12).");
    expect(french[1]).toBe("ada a demandé une revue d’une version de modèle (revue n° 13).");
    expect(french[2]).toBe("ada a statué sur la revue n° 12\u00a0: modifications demandées\u00a0; la revue est maintenant en attente de modifications.");
    expect(french[3]).toBe("ada a mis en production la version 4 de «\u00a0churn\u00a0» (à la place de la version 3).");
    expect(french[7]).toBe(
      `Le canari de la version 5 de «\u00a0churn\u00a0» a été arrêté automatiquement\u00a0: canari v5\u00a0: 6 requêtes sur 48 en échec (${new Intl.NumberFormat("fr", { style: "percent", maximumFractionDigits: 1 }).format(0.125)}), à la limite de ${new Intl.NumberFormat("fr", { style: "percent" }).format(0.1)} ou au-delà`,
    );
    expect(french[8]).toBe("Le canari de la version 5 de «\u00a0churn\u00a0» a été arrêté par ada.");
    // The quality rules' and monitoring's own reasons are their areas' English words; the sentence around them is French.
    expect(french[9]).toBe("La version 2 du jeu de données «\u00a0loans\u00a0» n’a pas passé ses règles de qualité\u00a0: income has 12% missing");
  });

  it("say a decision the catalogue does not know as stored, and fall back to the text without a wording", () => {
    const odd = studioEventOfAudit(ada, { action: "review.decide", targetType: "review", targetId: "9", after: { status: "on_hold" }, meta: { decision: "abstain" } })!;
    expect(sayIn("fr", odd.message, odd.text)).toBe("ada a statué sur la revue n° 9\u00a0: abstain\u00a0; la revue est maintenant on hold.");
    const unworded = studioEventOfAudit(ada, { action: "deployment.canary.stop", targetType: "registered_model", targetId: "churn" })!;
    expect(unworded.message).toBeNull();
    expect(sayIn("fr", unworded.message, unworded.text)).toBe("The canary of 'churn' was stopped by ada.");
    // Events stored before wordings were kept: the review events are worded again from their values, others keep their text.
    expect(eventMessage("review.decided", { actor: "ada", reviewId: 9, decision: "approve", status: "approved" }, null)).toEqual(
      studioEventOfAudit(ada, { action: "review.decide", targetType: "review", targetId: "9", after: { status: "approved" }, meta: { decision: "approve" } })!.message,
    );
    expect(eventMessage("canary.stopped", { model: "churn", version: "5" }, null)).toBeNull();
    expect(eventMessage("review.requested", null, null)).toBeNull();
  });
});

describe("webhook body", () => {
  it("escapes Slack markup in the text and keeps raw values in data", () => {
    const body = JSON.parse(webhookBody({ eventId: 7, type: "model.promoted", at: 0, text: "ada promoted version 2 of '<!channel> & co' to production.", data: { model: "<!channel> & co" } }));
    expect(body).toEqual({
      id: "evt_7",
      type: "model.promoted",
      at: "1970-01-01T00:00:00.000Z",
      text: "ada promoted version 2 of '&lt;!channel&gt; &amp; co' to production.",
      data: { model: "<!channel> & co" },
    });
  });
});
