// Which audited actions are worth telling, and the sentence and data each becomes: pure, so the outbox row can be written in the change's transaction.
import { sentence, sentencesOneForOne, type ServerSentence } from "@/lib/i18n/server-sentence";
import type { StudioEvent } from "./schema";

export interface AuditedAction {
  action: string;
  targetType: string;
  targetId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  meta?: Record<string, unknown>;
  /** An automatic action's reasons as catalogue codes (server/auth/audit.ts AuditEvent). */
  reasonMessages?: ServerSentence[];
}

const text = (value: unknown): string | null => (typeof value === "string" || typeof value === "number" ? String(value) : null);

/** A word the catalogue names (a decision, a status); a value it does not know yet is said as stored. */
const term = (kind: string, value: string): ServerSentence[] => [sentence(`term.${kind}.${value}`, {}, value.replace(/_/g, " "))];

/** The studio event an audit entry raises, or null for the (many) actions nobody subscribes to. */
export function studioEventOfAudit(actor: { userId: string; username: string }, event: AuditedAction): StudioEvent | null {
  const after = event.after ?? {};
  const before = event.before ?? {};
  const meta = event.meta ?? {};
  const by = { actorId: actor.userId, actor: actor.username };
  switch (event.action) {
    case "review.request": {
      const model = text(after.model) ?? "a model version";
      return {
        type: "review.requested",
        text: `${actor.username} requested a review of ${model} (review #${event.targetId}).`,
        data: { ...by, reviewId: Number(event.targetId), model, dataset: text(after.dataset) },
        message: text(after.model)
          ? sentence("event.review_requested", { actor: actor.username, model, reviewId: event.targetId })
          : sentence("event.review_requested_unnamed", { actor: actor.username, reviewId: event.targetId }),
      };
    }
    case "review.decide": {
      const decision = text(meta.decision) ?? "decided";
      const status = text(after.status) ?? "unknown";
      return {
        type: "review.decided",
        text: `${actor.username} decided review #${event.targetId}: ${decision.replace(/_/g, " ")}; the review is now ${status.replace(/_/g, " ")}.`,
        data: { ...by, reviewId: Number(event.targetId), decision, status, previousStatus: text(before.status) },
        message: sentence("event.review_decided", { actor: actor.username, reviewId: event.targetId, decision: term("decision", decision), status: term("status", status) }),
      };
    }
    case "registered_model.alias.set": {
      // As the production gate reads it (review/gate.ts isProductionAlias): `Production` is production too.
      if (String(after.alias ?? "").trim().toLowerCase() !== "production") return null;
      const version = text(after.version);
      const previous = text(before.version);
      if (meta.rollback) {
        return {
          type: "model.rolled_back",
          text: `${actor.username} rolled '${event.targetId}' back to version ${version}${previous ? ` (from version ${previous})` : ""}.`,
          data: { ...by, model: event.targetId, version, previousVersion: previous, automatic: false },
          message: version
            ? previous
              ? sentence("event.model_rolled_back_from", { actor: actor.username, model: event.targetId, version, previous })
              : sentence("event.model_rolled_back", { actor: actor.username, model: event.targetId, version })
            : null,
        };
      }
      return {
        type: "model.promoted",
        text: `${actor.username} promoted version ${version} of '${event.targetId}' to production${previous ? ` (was version ${previous})` : ""}.`,
        data: { ...by, model: event.targetId, version, previousVersion: previous },
        message: version
          ? previous
            ? sentence("event.model_promoted_over", { actor: actor.username, model: event.targetId, version, previous })
            : sentence("event.model_promoted", { actor: actor.username, model: event.targetId, version })
          : null,
      };
    }
    case "deployment.rollback.auto": {
      const version = text(after.version) ?? text(meta.version);
      const reason = text(meta.reason) ?? text(meta.rule);
      return {
        type: "model.rolled_back",
        text: `Production of '${event.targetId}' was rolled back automatically${version ? ` to version ${version}` : ""}${reason ? `: ${reason}` : "."}`,
        data: { ...by, model: event.targetId, version, previousVersion: text(before.version), automatic: true, reason },
        message: version && event.reasonMessages?.length ? sentence("event.model_rolled_back_auto", { model: event.targetId, version, reasons: event.reasonMessages }) : null,
      };
    }
    case "deployment.canary.auto-stop":
    case "deployment.canary.stop": {
      const automatic = event.action === "deployment.canary.auto-stop";
      const version = text(before.version) ?? text(after.version) ?? text(meta.version);
      const reason = text(meta.reason) ?? text(meta.rule);
      return {
        type: "canary.stopped",
        text: `The canary${version ? ` of version ${version}` : ""} of '${event.targetId}' was stopped ${automatic ? "automatically" : `by ${actor.username}`}${reason ? `: ${reason}` : "."}`,
        data: { ...by, model: event.targetId, version, automatic, reason },
        message: canaryStoppedMessage({ model: event.targetId, version, actor: actor.username, automatic, reason, reasonMessages: event.reasonMessages }),
      };
    }
    case "dataset.version.mark-failed":
    case "dataset.version.recheck": {
      if (after.qualityStatus !== "failed" || before.qualityStatus === "failed") return null;
      const [dataset, version] = [event.targetId.slice(0, event.targetId.lastIndexOf("/")), Number(event.targetId.slice(event.targetId.lastIndexOf("/") + 1))];
      return qualityFailedEvent(dataset, version, text(after.qualityReason));
    }
    default:
      return null;
  }
}

/** A stopped canary's wording, where its values are all there (else null: the English text is shown). */
function canaryStoppedMessage(e: { model: string; version: string | null; actor: string; automatic: boolean; reason: string | null; reasonMessages?: ServerSentence[] }): ServerSentence | null {
  if (!e.version) return null;
  if (e.automatic) return e.reasonMessages?.length ? sentence("event.canary_stopped_auto", { model: e.model, version: e.version, reasons: e.reasonMessages }) : null;
  // A stop by hand with a reason has no wording of that reason to translate.
  return e.reason ? null : sentence("event.canary_stopped_by", { actor: e.actor, model: e.model, version: e.version });
}

/** A dataset version failed its quality rules (on registration's profiling or on a re-check). */
export function qualityFailedEvent(dataset: string, version: number, reason: string | null): StudioEvent {
  return {
    type: "dataset.quality_failed",
    text: `Dataset '${dataset}' version ${version} failed its quality rules${reason ? `: ${reason}` : "."}`,
    data: { dataset, version, reason },
    // The reason is the quality rules' own English wording (server/datasets); the sentence around it is translated.
    message: reason ? sentence("event.dataset_quality_failed_because", { dataset, version: String(version), reason }) : sentence("event.dataset_quality_failed", { dataset, version: String(version) }),
  };
}

/**
 * A model's health check flagged it when the previous check had not: reasons carry live numbers ("drift in 4 of 10
 * features") that change at every check, so only the step from healthy to flagged is announced, never each new wording.
 */
export function monitoringFlaggedEvent(model: string, reasons: string[], previous: string[], reasonMessages?: readonly ServerSentence[]): StudioEvent | null {
  if (!reasons.length || previous.length) return null;
  const said = sentencesOneForOne(reasons, reasonMessages);
  return {
    type: "monitoring.flagged",
    text: `'${model}' is flagged by monitoring: ${reasons.join("; ")}`,
    data: { model, reasons },
    // The reasons by their codes when monitoring gave them, else its English wording inside the translated sentence.
    message: sentence("event.monitoring_flagged", { model, reasons: said ?? reasons.join("; ") }),
  };
}

/**
 * The wording of an event for the pages: as stored, or, for events written before wordings were stored, made again from
 * the event's values for the review events the bell already said in the reader's language; else null (the text is shown).
 */
export function eventMessage(type: string, data: Record<string, unknown> | null, stored: ServerSentence | null): ServerSentence | null {
  if (stored) return stored;
  if (!data) return null;
  const [actor, reviewId] = [text(data.actor), text(data.reviewId)];
  if (!actor || !reviewId) return null;
  if (type === "review.requested") {
    const model = text(data.model);
    return model ? sentence("event.review_requested", { actor, model, reviewId }) : null;
  }
  if (type === "review.decided") {
    const [decision, status] = [text(data.decision), text(data.status)];
    return decision && status ? sentence("event.review_decided", { actor, reviewId, decision: term("decision", decision), status: term("status", status) }) : null;
  }
  return null;
}
