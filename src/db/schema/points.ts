import {
  index,
  integer,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { channels } from './channels.ts';
import { members } from './members.ts';

/**
 * The append-only points ledger. (kind, ref) is unique, so a retried delivery or a job that runs twice can
 * never count the same award again; corrections are new rows, never updates.
 */
export const pointEvents = pgTable(
  'point_events',
  {
    id: serial().primaryKey(),
    memberId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    channelId: integer().references(() => channels.id, { onDelete: 'set null' }),
    kind: text().notNull(),
    ref: text().notNull(),
    points: integer().notNull(),
    reason: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('point_events_kind_ref_key').on(table.kind, table.ref),
    index('point_events_channel_time_idx').on(table.channelId, table.createdAt),
    index('point_events_member_idx').on(table.memberId, table.createdAt),
  ],
);

/**
 * Read-optimised leaderboard totals, kept in step with the ledger in the same transaction:
 * period "all", "w:<ISO year>-<ISO week>" or "m:<year>-<month>" in the channel's time zone.
 */
export const boardTotals = pgTable(
  'board_totals',
  {
    channelId: integer()
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    memberId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    period: text().notNull(),
    points: integer().notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.channelId, table.period, table.memberId] }),
    index('board_totals_rank_idx').on(table.channelId, table.period, table.points),
    // Hiding a member moves all of their rows out of the score counts.
    index('board_totals_member_idx').on(table.memberId),
  ],
);

/**
 * How many members shown on a board (hidden ones left out) hold each score, kept in step with the totals
 * and with hide/show in the same transaction. A rank is 1 + the members holding more points and "of N" is
 * the sum, so both read a few hundred score rows instead of counting through 100k members.
 */
export const boardScores = pgTable(
  'board_scores',
  {
    channelId: integer()
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    period: text().notNull(),
    points: integer().notNull(),
    members: integer().notNull(), // may reach 0 and stay; a zero row counts nobody
  },
  (table) => [primaryKey({ columns: [table.channelId, table.period, table.points] })],
);
