// Which audited actions and computations become studio events, with the sentence people read: the catalogue webhooks subscribe to.
import { describe, expect, it } from "vitest";
import { webhookBody } from "./dispatcher";
import { monitoringFlaggedEvent, qualityFailedEvent, studioEventOfAudit } from "./events";

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
