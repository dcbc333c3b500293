import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { Place } from '../../core/types.ts';
import { channels } from './channels.ts';
import { members } from './members.ts';

/** A member's opt-in to a channel's mock-interview rounds. */
export const pairMembers = pgTable(
  'pair_members',
  {
    id: serial().primaryKey(),
    channelId: integer()
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    memberId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    level: text().notNull().default('mid'), // junior | mid | senior | staff
    topics: text().array().notNull().default([]),
    timeZone: text(), // IANA; null: the member's or the channel's
    active: boolean().notNull().default(true),
    pausedUntil: timestamp({ withTimezone: true }),
    ignoredRounds: integer().notNull().default(0), // rounds in a row without any response
    lastRole: text(), // interviewer | candidate | observer
    joinedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('pair_members_key').on(table.channelId, table.memberId)],
);

/** Who a member never wants as a partner; private, never shown to the other side. */
export const pairAvoids = pgTable(
  'pair_avoids',
  {
    memberId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    avoidedMemberId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.memberId, table.avoidedMemberId] })],
);

export type UnmatchedNote = { memberId: number; reason: string };

/** One pairing round of a channel; (channel, scheduled time) is unique so a round runs once. */
export const pairRounds = pgTable(
  'pair_rounds',
  {
    id: serial().primaryKey(),
    channelId: integer()
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    scheduledFor: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    unmatched: jsonb().$type<UnmatchedNote[]>().notNull().default([]),
    unmatchedToldAt: timestamp({ withTimezone: true }),
    checkedInAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('pair_rounds_channel_time_key').on(table.channelId, table.scheduledFor)],
);

/** Members who said "skip" for one upcoming round. */
export const pairSkips = pgTable(
  'pair_skips',
  {
    channelId: integer()
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    memberId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    scheduledFor: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.channelId, table.memberId, table.scheduledFor] })],
);

/** The day-before notice of a round, sent once. */
export const pairNotices = pgTable(
  'pair_notices',
  {
    channelId: integer()
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    scheduledFor: timestamp({ withTimezone: true }).notNull(),
    sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.channelId, table.scheduledFor] })],
);

/** A group in a round: interviewer, candidate and (in the one trio of an odd round) an observer. */
export const pairings = pgTable(
  'pairings',
  {
    id: serial().primaryKey(),
    roundId: integer()
      .notNull()
      .references(() => pairRounds.id, { onDelete: 'cascade' }),
    caseId: text().notNull(),
    interviewerId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    candidateId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    observerId: integer().references(() => members.id, { onDelete: 'cascade' }),
    status: text().notNull().default('pending'), // pending | scheduled | done | missed
    responded: integer().array().notNull().default([]), // member ids who pressed anything
    conversation: jsonb().$type<Place>(), // where the group talks: a Slack group DM, a Discord private thread
    notifiedAt: timestamp({ withTimezone: true }),
    guideSentAt: timestamp({ withTimezone: true }),
    nudgedAt: timestamp({ withTimezone: true }),
    checkinSentAt: timestamp({ withTimezone: true }),
    doneAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('pairings_round_idx').on(table.roundId),
    index('pairings_interviewer_idx').on(table.interviewerId),
    index('pairings_candidate_idx').on(table.candidateId),
  ],
);

export type StepRatings = Record<string, number>; // framework step -> 1..4

/** Structured feedback one side of a mock gives about the other. */
export const mockFeedback = pgTable(
  'mock_feedback',
  {
    id: serial().primaryKey(),
    pairingId: integer()
      .notNull()
      .references(() => pairings.id, { onDelete: 'cascade' }),
    fromMemberId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    aboutMemberId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    role: text().notNull(), // the giver's role: interviewer | candidate
    ratings: jsonb().$type<StepRatings>().notNull(),
    communication: integer().notNull(), // 1..4
    strength: text().notNull(),
    improve: text().notNull(),
    deliveredAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('mock_feedback_key').on(table.pairingId, table.fromMemberId)],
);
