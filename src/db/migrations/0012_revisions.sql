CREATE TABLE "revisions" (
	"id" serial PRIMARY KEY NOT NULL,
	"prompt_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"message_id" text NOT NULL,
	"step" text,
	"text" text NOT NULL,
	"score" integer NOT NULL,
	"coverage" jsonb NOT NULL,
	"word_count" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "revisions_member_message_key" ON "revisions" USING btree ("member_id","message_id");--> statement-breakpoint
CREATE INDEX "revisions_member_idx" ON "revisions" USING btree ("member_id");