CREATE TABLE "form_drafts" (
	"id" serial PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"form_id" text NOT NULL,
	"form" jsonb NOT NULL,
	"values" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "form_drafts_platform_workspaceId_userId_formId_unique" UNIQUE("platform","workspace_id","user_id","form_id")
);
