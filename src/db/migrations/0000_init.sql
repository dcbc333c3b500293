CREATE TABLE "channels" (
	"id" serial PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"workspace_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"name" text,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"daily_enabled" boolean DEFAULT false NOT NULL,
	"daily_time" text DEFAULT '09:00' NOT NULL,
	"daily_days" text DEFAULT 'mon-fri' NOT NULL,
	"deadline_hours" integer DEFAULT 24 NOT NULL,
	"difficulties" integer[] DEFAULT '{}'::integer[] NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "answers" (
	"id" serial PRIMARY KEY NOT NULL,
	"prompt_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"message_id" text NOT NULL,
	"source" text NOT NULL,
	"text" text NOT NULL,
	"score" integer NOT NULL,
	"coverage" jsonb NOT NULL,
	"matches" jsonb NOT NULL,
	"word_count" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "prompts" (
	"id" serial PRIMARY KEY NOT NULL,
	"channel_id" integer NOT NULL,
	"case_id" text NOT NULL,
	"focus_step" text,
	"local_date" text NOT NULL,
	"message_id" text,
	"thread_id" text,
	"permalink" text,
	"post_claimed_at" timestamp with time zone,
	"posted_at" timestamp with time zone,
	"closes_at" timestamp with time zone NOT NULL,
	"close_claimed_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"platform" text NOT NULL,
	"delivery_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deliveries_platform_delivery_id_pk" PRIMARY KEY("platform","delivery_id")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" serial PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"display_name" text NOT NULL,
	"time_zone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "point_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"member_id" integer NOT NULL,
	"channel_id" integer,
	"kind" text NOT NULL,
	"ref" text NOT NULL,
	"points" integer NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompts" ADD CONSTRAINT "prompts_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_events" ADD CONSTRAINT "point_events_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "point_events" ADD CONSTRAINT "point_events_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "channels_platform_key" ON "channels" USING btree ("platform","workspace_id","channel_id");--> statement-breakpoint
CREATE UNIQUE INDEX "answers_prompt_member_key" ON "answers" USING btree ("prompt_id","member_id");--> statement-breakpoint
CREATE INDEX "answers_prompt_score_idx" ON "answers" USING btree ("prompt_id","score");--> statement-breakpoint
CREATE UNIQUE INDEX "prompts_channel_date_key" ON "prompts" USING btree ("channel_id","local_date");--> statement-breakpoint
CREATE INDEX "prompts_thread_idx" ON "prompts" USING btree ("thread_id");--> statement-breakpoint
CREATE UNIQUE INDEX "members_platform_key" ON "members" USING btree ("platform","workspace_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "point_events_kind_ref_key" ON "point_events" USING btree ("kind","ref");--> statement-breakpoint
CREATE INDEX "point_events_channel_time_idx" ON "point_events" USING btree ("channel_id","created_at");--> statement-breakpoint
CREATE INDEX "point_events_member_idx" ON "point_events" USING btree ("member_id","created_at");