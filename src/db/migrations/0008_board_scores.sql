CREATE TABLE "board_scores" (
	"channel_id" integer NOT NULL,
	"period" text NOT NULL,
	"points" integer NOT NULL,
	"members" integer NOT NULL,
	CONSTRAINT "board_scores_channel_id_period_points_pk" PRIMARY KEY("channel_id","period","points")
);
--> statement-breakpoint
ALTER TABLE "board_scores" ADD CONSTRAINT "board_scores_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
INSERT INTO "board_scores" ("channel_id", "period", "points", "members")
SELECT channel_id, period, points, count(*) FROM "board_totals" GROUP BY 1, 2, 3;
