DROP INDEX "members_hidden_idx";--> statement-breakpoint
CREATE INDEX "board_totals_member_idx" ON "board_totals" USING btree ("member_id");--> statement-breakpoint
DELETE FROM "board_scores";--> statement-breakpoint
INSERT INTO "board_scores" ("channel_id", "period", "points", "members")
SELECT b.channel_id, b.period, b.points, count(*)
FROM "board_totals" b JOIN "members" m ON m.id = b.member_id AND NOT m.hidden_from_boards
GROUP BY 1, 2, 3;
