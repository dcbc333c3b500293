CREATE TABLE "board_totals" (
	"channel_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"period" text NOT NULL,
	"points" integer NOT NULL,
	CONSTRAINT "board_totals_channel_id_period_member_id_pk" PRIMARY KEY("channel_id","period","member_id")
);
--> statement-breakpoint
ALTER TABLE "board_totals" ADD CONSTRAINT "board_totals_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "board_totals" ADD CONSTRAINT "board_totals_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "board_totals_rank_idx" ON "board_totals" USING btree ("channel_id","period","points");--> statement-breakpoint
INSERT INTO "board_totals" ("channel_id", "member_id", "period", "points")
SELECT e.channel_id, e.member_id, p.period, sum(e.points)
FROM "point_events" e JOIN "channels" c ON c.id = e.channel_id
CROSS JOIN LATERAL (VALUES
  ('all'),
  ('w:' || to_char(e.created_at AT TIME ZONE c.time_zone, 'IYYY-IW')),
  ('m:' || to_char(e.created_at AT TIME ZONE c.time_zone, 'YYYY-MM'))
) AS p(period)
GROUP BY 1, 2, 3;
