// A model version's card: the free-text sections people write (intended purpose, users, limits, oversight, monitoring
// plan), kept as append-only revisions so an approval can point at exactly the text it approved.
import { and, desc, eq } from "drizzle-orm";
import { modelCardRevisions } from "@/db/schema";
import type { Database } from "@/db/client";
import { recordAudit } from "../auth/audit";
import { authorize } from "../auth/permissions";
import { DomainError, invalidParameter } from "../errors";
import { findModelVersion } from "../registry/model-versions";
import type { ServiceContext } from "../service-context";
import {
  emptyModelCardSections,
  modelCardSectionKeys,
  zEditModelCardInput,
  zModelCardSections,
  type EditModelCardInput,
  type ModelCardRevision,
  type ModelCardSectionKey,
  type ModelCardSections,
} from "./schema";

type Reader = Pick<Database, "select">;
export type ModelCardRevisionRow = typeof modelCardRevisions.$inferSelect;

/** The newest revision number of a version's card (0 when nothing was ever written). */
export async function currentCardRevision(db: Reader, versionId: number): Promise<number> {
  const [row] = await db
    .select({ revision: modelCardRevisions.revision })
    .from(modelCardRevisions)
    .where(eq(modelCardRevisions.versionId, versionId))
    .orderBy(desc(modelCardRevisions.revision))
    .limit(1);
  return row?.revision ?? 0;
}

/** All revisions of a version's card, oldest first. */
export async function cardRevisionsOf(db: Reader, versionId: number): Promise<ModelCardRevisionRow[]> {
  return db.select().from(modelCardRevisions).where(eq(modelCardRevisions.versionId, versionId)).orderBy(modelCardRevisions.revision);
}

export function sectionsOf(row: ModelCardRevisionRow | undefined | null): ModelCardSections {
  if (!row) return { ...emptyModelCardSections };
  const parsed = zModelCardSections.safeParse(row.sections);
  return parsed.success ? parsed.data : { ...emptyModelCardSections };
}

function changedKeys(before: ModelCardSections, after: ModelCardSections): ModelCardSectionKey[] {
  return modelCardSectionKeys.filter((key) => before[key] !== after[key]);
}

/** Revision history, oldest first, each with the sections it changed. */
export function toRevisionHistory(rows: ModelCardRevisionRow[]): ModelCardRevision[] {
  return rows.map((row, index) => ({
    revision: row.revision,
    author: row.author,
    createdAt: row.createdAt,
    note: row.note,
    changed: changedKeys(index > 0 ? sectionsOf(rows[index - 1]) : emptyModelCardSections, sectionsOf(row)),
  }));
}

/**
 * Writes a new revision of the card with the given sections changed. Only editors and admins (who may write to the
 * registry) edit cards; the edit must start from the current revision, so two people editing at once cannot
 * silently overwrite each other. An edit that changes nothing makes no revision.
 */
export async function editModelCard(ctx: ServiceContext, raw: EditModelCardInput): Promise<{ revision: number; changed: ModelCardSectionKey[] }> {
  authorize(ctx.actor, "models.write");
  const input = zEditModelCardInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    // Locking the version row serialises concurrent edits of one card, so revision numbers never collide.
    const { model, row } = await findModelVersion(tx, input.name, input.version, { lock: true });
    const [latest] = await tx
      .select()
      .from(modelCardRevisions)
      .where(eq(modelCardRevisions.versionId, row.versionId))
      .orderBy(desc(modelCardRevisions.revision))
      .limit(1);
    const current = latest?.revision ?? 0;
    if (input.baseRevision !== current) {
      throw new DomainError(
        "INVALID_STATE",
        `The model card of '${model.name}' v${row.version} changed while you were editing (you started from revision ${input.baseRevision}, it is now at ${current}). Reload the page, then apply your changes again.`,
      );
    }
    const before = sectionsOf(latest);
    const after: ModelCardSections = { ...before };
    for (const key of modelCardSectionKeys) {
      const text = input.sections[key];
      if (text !== undefined) after[key] = text.replace(/\r\n/g, "\n").trim();
    }
    const changed = changedKeys(before, after);
    if (!changed.length) {
      if (!latest && !Object.keys(input.sections).length) throw invalidParameter("Nothing to save: change at least one section.");
      return { revision: current, changed };
    }
    const revision = current + 1;
    await tx.insert(modelCardRevisions).values({
      versionId: row.versionId,
      revision,
      sections: after,
      authorId: ctx.actor.userId,
      author: ctx.actor.username,
      note: input.note,
      createdAt: Date.now(),
    });
    await recordAudit(tx, ctx.actor, {
      action: "model_version.card.edit",
      targetType: "model_version",
      targetId: `${model.name}/${row.version}`,
      before: { revision: current, ...Object.fromEntries(changed.map((key) => [key, before[key]])) },
      after: { revision, ...Object.fromEntries(changed.map((key) => [key, after[key]])) },
      meta: { versionId: row.versionId, changed, ...(input.note ? { note: input.note } : {}) },
    });
    return { revision, changed };
  });
}

/** The sections of one revision of a version's card (used for the revision an approval froze). */
export async function cardRevisionSections(db: Reader, versionId: number, revision: number): Promise<ModelCardSections | null> {
  if (revision === 0) return { ...emptyModelCardSections };
  const [row] = await db
    .select()
    .from(modelCardRevisions)
    .where(and(eq(modelCardRevisions.versionId, versionId), eq(modelCardRevisions.revision, revision)));
  return row ? sectionsOf(row) : null;
}
