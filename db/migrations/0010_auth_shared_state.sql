CREATE TABLE IF NOT EXISTS "auth_throttle" (
	"throttle_key" text PRIMARY KEY NOT NULL,
	"window_started_at" bigint NOT NULL,
	"failures" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "auth_state" (
	"id" integer PRIMARY KEY NOT NULL,
	"credentials_epoch" bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO "auth_state" ("id", "credentials_epoch") VALUES (1, 0) ON CONFLICT ("id") DO NOTHING;
