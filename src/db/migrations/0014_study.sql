CREATE TABLE "drill_items" (
	"member_id" integer NOT NULL,
	"item_key" text NOT NULL,
	"due" timestamp with time zone NOT NULL,
	"stability" real NOT NULL,
	"difficulty" real NOT NULL,
	"elapsed_days" integer NOT NULL,
	"scheduled_days" integer NOT NULL,
	"learning_steps" integer NOT NULL,
	"reps" integer NOT NULL,
	"lapses" integer NOT NULL,
	"state" integer NOT NULL,
	"last_review" timestamp with time zone,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "drill_items_member_id_item_key_pk" PRIMARY KEY("member_id","item_key")
);
--> statement-breakpoint
CREATE TABLE "drill_reviews" (
	"id" serial PRIMARY KEY NOT NULL,
	"member_id" integer NOT NULL,
	"item_key" text NOT NULL,
	"rating" integer NOT NULL,
	"state" integer NOT NULL,
	"reps" integer NOT NULL,
	"coverage" real,
	"reviewed_at" timestamp with time zone NOT NULL,
	"next_due" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"member_id" integer PRIMARY KEY NOT NULL,
	"channel_id" integer,
	"interview_date" date NOT NULL,
	"start_date" date NOT NULL,
	"level" text NOT NULL,
	"morning_time" text DEFAULT '08:00' NOT NULL,
	"last_active_at" timestamp with time zone NOT NULL,
	"nudged_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "drill_items" ADD CONSTRAINT "drill_items_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drill_reviews" ADD CONSTRAINT "drill_reviews_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "drill_items_due" ON "drill_items" USING btree ("due","member_id");--> statement-breakpoint
CREATE INDEX "drill_reviews_member" ON "drill_reviews" USING btree ("member_id","reviewed_at");