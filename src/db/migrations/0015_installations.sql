CREATE TABLE "slack_installations" (
	"id" serial PRIMARY KEY NOT NULL,
	"install_key" text NOT NULL,
	"team_id" text,
	"enterprise_id" text,
	"is_enterprise_install" boolean DEFAULT false NOT NULL,
	"key_id" text NOT NULL,
	"sealed" text NOT NULL,
	"installed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "slack_installations_installKey_unique" UNIQUE("install_key")
);
--> statement-breakpoint
CREATE TABLE "slack_team_enterprises" (
	"team_id" text PRIMARY KEY NOT NULL,
	"enterprise_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspace_departures" (
	"platform" text NOT NULL,
	"workspace_id" text NOT NULL,
	"departed_at" timestamp with time zone NOT NULL,
	"purge_after" timestamp with time zone NOT NULL,
	CONSTRAINT "workspace_departures_platform_workspace_id_pk" PRIMARY KEY("platform","workspace_id")
);
