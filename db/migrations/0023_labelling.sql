CREATE TABLE "labelling_items" (
	"item_id" bigserial PRIMARY KEY NOT NULL,
	"model_id" bigint NOT NULL,
	"version_id" bigint NOT NULL,
	"request_id" text NOT NULL,
	"row_index" integer NOT NULL,
	"inputs" jsonb NOT NULL,
	"prediction" jsonb,
	"confidence" double precision,
	"challenger_prediction" jsonb,
	"rank" bigint NOT NULL,
	"labels_required" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"agreed_label" jsonb,
	"feedback_id" bigint,
	"superseded_feedback_id" bigint,
	"added_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "labelling_labels" (
	"label_id" bigserial PRIMARY KEY NOT NULL,
	"item_id" bigint NOT NULL,
	"model_id" bigint NOT NULL,
	"request_id" text NOT NULL,
	"row_index" integer NOT NULL,
	"labeller_id" text NOT NULL,
	"labeller" text NOT NULL,
	"label" jsonb,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "labelling_queues" (
	"model_id" bigint PRIMARY KEY NOT NULL,
	"strategy" text NOT NULL,
	"fill_size" integer NOT NULL,
	"labels_required" integer NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inference_feedback" ADD COLUMN "source" text DEFAULT 'client' NOT NULL;--> statement-breakpoint
ALTER TABLE "labelling_items" ADD CONSTRAINT "labelling_items_model_id_labelling_queues_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."labelling_queues"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "labelling_items" ADD CONSTRAINT "labelling_items_version_id_model_versions_version_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."model_versions"("version_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "labelling_labels" ADD CONSTRAINT "labelling_labels_item_id_labelling_items_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."labelling_items"("item_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "labelling_labels" ADD CONSTRAINT "labelling_labels_model_id_registered_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "labelling_queues" ADD CONSTRAINT "labelling_queues_model_id_registered_models_model_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."registered_models"("model_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "labelling_items_row_uq" ON "labelling_items" USING btree ("model_id","request_id","row_index");--> statement-breakpoint
CREATE INDEX "labelling_items_queue_idx" ON "labelling_items" USING btree ("model_id","status","rank");--> statement-breakpoint
CREATE UNIQUE INDEX "labelling_labels_item_labeller_uq" ON "labelling_labels" USING btree ("item_id","labeller_id");--> statement-breakpoint
CREATE INDEX "labelling_labels_row_idx" ON "labelling_labels" USING btree ("model_id","request_id","row_index");--> statement-breakpoint
CREATE INDEX "labelling_labels_labeller_idx" ON "labelling_labels" USING btree ("labeller_id","at");