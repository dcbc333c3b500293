import {
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  serial,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { channels } from './channels.ts';
import { members } from './members.ts';

/** A member's study plan towards a dated interview: one per member. */
export const plans = pgTable('plans', {
  memberId: integer()
    .primaryKey()
    .references(() => members.id, { onDelete: 'cascade' }),
  /** Where the plan was made: drill points count on this channel's board; mocks are joined here. */
  channelId: integer().references(() => channels.id, { onDelete: 'set null' }),
  interviewDate: date({ mode: 'string' }).notNull(), // YYYY-MM-DD in the member's time zone
  startDate: date({ mode: 'string' }).notNull(), // the plan's first local day
  level: text().notNull(),
  morningTime: text().notNull().default('08:00'), // HH:MM local
  lastActiveAt: timestamp({ withTimezone: true }).notNull(),
  /** Set when the one gentle nudge after three quiet days went out; cleared by activity. */
  nudgedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** A member's memory of one drill item (FSRS state): a framework step, a trade-off card or a case step. */
export const drillItems = pgTable(
  'drill_items',
  {
    memberId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    itemKey: text().notNull(),
    due: timestamp({ withTimezone: true }).notNull(),
    stability: real().notNull(),
    difficulty: real().notNull(),
    elapsedDays: integer().notNull(),
    scheduledDays: integer().notNull(),
    learningSteps: integer().notNull(),
    reps: integer().notNull(),
    lapses: integer().notNull(),
    state: integer().notNull(),
    lastReview: timestamp({ withTimezone: true }),
    addedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.memberId, table.itemKey] }),
    index('drill_items_due').on(table.due, table.memberId),
  ],
);

/** Every drill review: the review log FSRS learns from, and what retention and streaks are read from. */
export const drillReviews = pgTable(
  'drill_reviews',
  {
    id: serial().primaryKey(),
    memberId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    itemKey: text().notNull(),
    rating: integer().notNull(), // 1 Again, 2 Hard, 3 Good, 4 Easy
    /** The item's state and reps before the review (reps makes a rating apply once). */
    state: integer().notNull(),
    reps: integer().notNull(),
    coverage: real(), // for a case-step recall: what the grader found (0..1)
    reviewedAt: timestamp({ withTimezone: true }).notNull(),
    nextDue: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [index('drill_reviews_member').on(table.memberId, table.reviewedAt)],
);
