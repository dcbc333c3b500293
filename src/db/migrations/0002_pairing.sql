CREATE TABLE "mock_feedback" (
	"id" serial PRIMARY KEY NOT NULL,
	"pairing_id" integer NOT NULL,
	"from_member_id" integer NOT NULL,
	"about_member_id" integer NOT NULL,
	"role" text NOT NULL,
	"ratings" jsonb NOT NULL,
	"communication" integer NOT NULL,
	"strength" text NOT NULL,
	"improve" text NOT NULL,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pair_avoids" (
	"member_id" integer NOT NULL,
	"avoided_member_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pair_avoids_member_id_avoided_member_id_pk" PRIMARY KEY("member_id","avoided_member_id")
);
--> statement-breakpoint
CREATE TABLE "pair_members" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"level" text DEFAULT 'mid' NOT NULL,
	"topics" text[] DEFAULT '{}' NOT NULL,
	"time_zone" text,
	"active" boolean DEFAULT true NOT NULL,
	"paused_until" timestamp with time zone,
	"ignored_rounds" integer DEFAULT 0 NOT NULL,
	"last_role" text,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pair_notices" (
	"channel_id" integer NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pair_notices_channel_id_scheduled_for_pk" PRIMARY KEY("channel_id","scheduled_for")
);
--> statement-breakpoint
CREATE TABLE "pair_rounds" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" integer NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"unmatched" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"unmatched_told_at" timestamp with time zone,
	"checked_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pair_skips" (
	"channel_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"scheduled_for" timestamp with time zone NOT NULL,
	CONSTRAINT "pair_skips_channel_id_member_id_scheduled_for_pk" PRIMARY KEY("channel_id","member_id","scheduled_for")
);
--> statement-breakpoint
CREATE TABLE "pairings" (
	"id" serial PRIMARY KEY NOT NULL,
	"round_id" integer NOT NULL,
	"case_id" text NOT NULL,
	"interviewer_id" integer NOT NULL,
	"candidate_id" integer NOT NULL,
	"observer_id" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"responded" integer[] DEFAULT '{}' NOT NULL,
	"conversation" jsonb,
	"notified_at" timestamp with time zone,
	"guide_sent_at" timestamp with time zone,
	"nudged_at" timestamp with time zone,
	"checkin_sent_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "pair_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "pair_cadence" text DEFAULT 'weekly' NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "pair_day" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "pair_time" text DEFAULT '10:00' NOT NULL;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "pair_time_zone" text;--> statement-breakpoint
ALTER TABLE "mock_feedback" ADD CONSTRAINT "mock_feedback_pairing_id_pairings_id_fk" FOREIGN KEY ("pairing_id") REFERENCES "public"."pairings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mock_feedback" ADD CONSTRAINT "mock_feedback_from_member_id_members_id_fk" FOREIGN KEY ("from_member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mock_feedback" ADD CONSTRAINT "mock_feedback_about_member_id_members_id_fk" FOREIGN KEY ("about_member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pair_avoids" ADD CONSTRAINT "pair_avoids_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pair_avoids" ADD CONSTRAINT "pair_avoids_avoided_member_id_members_id_fk" FOREIGN KEY ("avoided_member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pair_members" ADD CONSTRAINT "pair_members_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pair_members" ADD CONSTRAINT "pair_members_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pair_notices" ADD CONSTRAINT "pair_notices_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pair_rounds" ADD CONSTRAINT "pair_rounds_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pair_skips" ADD CONSTRAINT "pair_skips_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pair_skips" ADD CONSTRAINT "pair_skips_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairings" ADD CONSTRAINT "pairings_round_id_pair_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."pair_rounds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairings" ADD CONSTRAINT "pairings_interviewer_id_members_id_fk" FOREIGN KEY ("interviewer_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairings" ADD CONSTRAINT "pairings_candidate_id_members_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairings" ADD CONSTRAINT "pairings_observer_id_members_id_fk" FOREIGN KEY ("observer_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "mock_feedback_key" ON "mock_feedback" USING btree ("pairing_id","from_member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pair_members_key" ON "pair_members" USING btree ("channel_id","member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pair_rounds_channel_time_key" ON "pair_rounds" USING btree ("channel_id","scheduled_for");--> statement-breakpoint
CREATE INDEX "pairings_round_idx" ON "pairings" USING btree ("round_id");--> statement-breakpoint
CREATE INDEX "pairings_interviewer_idx" ON "pairings" USING btree ("interviewer_id");--> statement-breakpoint
CREATE INDEX "pairings_candidate_idx" ON "pairings" USING btree ("candidate_id");