CREATE TABLE "sends" (
	"key" text PRIMARY KEY NOT NULL,
	"claimed_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"sent_at" timestamp with time zone,
	"ref" jsonb
);
--> statement-breakpoint
ALTER TABLE "prompts" DROP COLUMN "post_claimed_at";--> statement-breakpoint
ALTER TABLE "prompts" DROP COLUMN "close_claimed_at";