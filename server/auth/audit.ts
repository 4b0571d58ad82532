// The append-only audit log: one entry per state change, with who, what, when and before/after.
import { and, desc, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import { emitStudioEvent } from "../notifications/outbox";
import { studioEventOfAudit } from "../notifications/events";
import type { Database } from "@/db/client";
import type { Actor } from "./actor";
import { toCsv } from "@/lib/csv";
import type { ServerSentence } from "@/lib/i18n/server-sentence";

type Executor = Pick<Database, "insert" | "select">;

export interface AuditEvent {
  action: string;
  targetType: string;
  targetId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  meta?: Record<string, unknown>;
  /**
   * An automatic action's reasons as catalogue codes with their numbers, for the wording of the event it raises in the
   * reader's language; not stored in the entry, whose meta keeps the English reason.
   */
  reasonMessages?: ServerSentence[];
}

/**
 * Writes one audit entry; call it inside the transaction of the change so both land or neither. Actions people
 * subscribe to (review requested, promotion, canary stopped…) also write their outbox event here, in that transaction.
 */
export async function recordAudit(db: Executor, actor: Actor, event: AuditEvent): Promise<void> {
  await db.insert(auditLog).values({
    at: Date.now(),
    actorId: actor.userId,
    actorUsername: actor.username,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    before: event.before ?? null,
    after: event.after ?? null,
    meta: event.meta ?? {},
  });
  const studioEvent = studioEventOfAudit(actor, event);
  if (studioEvent) await emitStudioEvent(db, studioEvent);
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: number;
  to?: number;
  limit?: number;
  beforeId?: number;
}

export type AuditEntry = typeof auditLog.$inferSelect;

export async function listAuditEntries(db: Pick<Database, "select">, query: AuditQuery): Promise<AuditEntry[]> {
  const conditions: SQL[] = [];
  if (query.actor) conditions.push(eq(auditLog.actorUsername, query.actor));
  if (query.action) conditions.push(sql`${auditLog.action} like ${`${query.action.replace(/[\\%_]/g, "\\$&")}%`}`);
  if (query.targetType) conditions.push(eq(auditLog.targetType, query.targetType));
  if (query.targetId) conditions.push(eq(auditLog.targetId, query.targetId));
  if (query.from !== undefined) conditions.push(gte(auditLog.at, query.from));
  if (query.to !== undefined) conditions.push(lte(auditLog.at, query.to));
  if (query.beforeId !== undefined) conditions.push(sql`${auditLog.auditId} < ${query.beforeId}`);
  return db
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.auditId))
    .limit(query.limit ?? 200);
}

export function auditEntriesToCsv(entries: AuditEntry[]): string {
  const header = ["audit_id", "at", "actor", "action", "target_type", "target_id", "before", "after"];
  return toCsv(
    header,
    entries.map((e) => [e.auditId, new Date(e.at).toISOString(), e.actorUsername, e.action, e.targetType, e.targetId, e.before, e.after]),
  );
}
