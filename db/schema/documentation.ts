// Documentation that lives with a model version: the model card's free-text sections, one append-only row per edit.
import { bigint, bigserial, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { modelVersions } from "./registry";

/**
 * Every edit of a version's model card makes a new revision (1, 2, 3… per version); rows are never updated or
 * deleted (a trigger refuses it), so an approval that points at revision N keeps pointing at the text it approved.
 */
export const modelCardRevisions = pgTable(
  "model_card_revisions",
  {
    revisionId: bigserial("revision_id", { mode: "number" }).primaryKey(),
    versionId: bigint("version_id", { mode: "number" })
      .notNull()
      .references(() => modelVersions.versionId, { onDelete: "cascade" }),
    revision: integer("revision").notNull(),
    /** ModelCardSections (server/documentation/schema.ts): the free-text sections as they stood after this edit. */
    sections: jsonb("sections").$type<unknown>().notNull(),
    authorId: text("author_id").notNull(),
    author: text("author").notNull(),
    /** What the author said about the edit (optional). */
    note: text("note").notNull().default(""),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("model_card_revisions_version_revision_uq").on(t.versionId, t.revision), index("model_card_revisions_version_idx").on(t.versionId)],
);
