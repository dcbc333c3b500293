CREATE TABLE "digests" (
	"channel_id" integer NOT NULL,
	"week_key" text NOT NULL,
	"posted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "digests_channel_id_week_key_pk" PRIMARY KEY("channel_id","week_key")
);
--> statement-breakpoint
ALTER TABLE "digests" ADD CONSTRAINT "digests_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;