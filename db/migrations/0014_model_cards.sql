CREATE TABLE "model_card_revisions" (
	"revision_id" bigserial PRIMARY KEY NOT NULL,
	"version_id" bigint NOT NULL,
	"revision" integer NOT NULL,
	"sections" jsonb NOT NULL,
	"author_id" text NOT NULL,
	"author" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_decisions" ADD COLUMN "card_revision" integer;--> statement-breakpoint
ALTER TABLE "reviews" ADD COLUMN "approved_card_revision" integer;--> statement-breakpoint
ALTER TABLE "model_card_revisions" ADD CONSTRAINT "model_card_revisions_version_id_model_versions_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("version_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "model_card_revisions_version_revision_uq" ON "model_card_revisions" USING btree ("version_id","revision");--> statement-breakpoint
CREATE INDEX "model_card_revisions_version_idx" ON "model_card_revisions" USING btree ("version_id");--> statement-breakpoint
-- Card revisions are append-only: an edit is a new row. A direct DELETE is refused too; only the cascade from deleting
-- the model version (fired from the foreign key's own trigger, so at depth > 1) may remove them.
CREATE OR REPLACE FUNCTION model_card_revisions_refuse_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'model_card_revisions is append-only: % is not allowed (an edit makes a new revision)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER model_card_revisions_no_update_delete BEFORE UPDATE OR DELETE ON model_card_revisions
  FOR EACH ROW EXECUTE FUNCTION model_card_revisions_refuse_change();
