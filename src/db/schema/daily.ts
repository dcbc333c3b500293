import {
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
import { channels } from './channels.ts';
import { members } from './members.ts';

/** One daily post: which case went to which channel on which local date, and where it lives. */
export const prompts = pgTable(
  'prompts',
  {
    id: serial().primaryKey(),
    channelId: integer()
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    caseId: text().notNull(),
    focusStep: text(), // a framework step key when the day drills one step; null: the whole case
    localDate: text().notNull(), // YYYY-MM-DD in the channel's time zone
    messageId: text(), // platform message id of the post; null until posted
    threadId: text(), // Slack: the post's ts; Discord: the thread channel id
    permalink: text(),
    postedAt: timestamp({ withTimezone: true }),
    closesAt: timestamp({ withTimezone: true }).notNull(),
    closedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('prompts_channel_date_key').on(table.channelId, table.localDate),
    index('prompts_thread_idx').on(table.threadId),
  ],
);

export type StepCoverage = Record<string, number>;
export type ConceptMatches = Record<string, { matched: string[]; missed: string[] }>;

/** A member's current answer to a prompt; a later reply before the deadline replaces it. */
export const answers = pgTable(
  'answers',
  {
    id: serial().primaryKey(),
    promptId: integer()
      .notNull()
      .references(() => prompts.id, { onDelete: 'cascade' }),
    memberId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    messageId: text().notNull(), // the platform message (or form submission) that holds the current text
    source: text().notNull(), // 'thread' | 'form'
    text: text().notNull(),
    score: integer().notNull(), // 0-100
    coverage: jsonb().$type<StepCoverage>().notNull(), // step -> 0..1
    matches: jsonb().$type<ConceptMatches>().notNull(),
    wordCount: integer().notNull(),
    version: integer().notNull().default(1), // bumps on each replacement
    sentAt: timestamp({ withTimezone: true }).notNull(), // when the platform says it was written
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('answers_prompt_member_key').on(table.promptId, table.memberId),
    index('answers_prompt_score_idx').on(table.promptId, table.score),
    // A 👍 on a thread reply finds the answer it holds.
    index('answers_message_idx').on(table.messageId),
  ],
);

/**
 * Practice after the fact: an answer posted after the close-out (or a reply to a follow-up question) is
 * graded and compared with the member's answer, but earns no points. It counts in stats as practice and in
 * the weak-step figures. `step` is set when it answers a follow-up about one step.
 */
export const revisions = pgTable(
  'revisions',
  {
    id: serial().primaryKey(),
    promptId: integer()
      .notNull()
      .references(() => prompts.id, { onDelete: 'cascade' }),
    memberId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    messageId: text().notNull(), // the platform message (or form submission) holding it
    step: text(),
    text: text().notNull(),
    score: integer().notNull(), // 0-100 (the step's coverage for a follow-up)
    coverage: jsonb().$type<StepCoverage>().notNull(),
    wordCount: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [
    uniqueIndex('revisions_member_message_key').on(table.memberId, table.messageId),
    index('revisions_member_idx').on(table.memberId),
  ],
);

/** One weekly digest per channel and ISO week, claimed before it is posted. */
export const digests = pgTable(
  'digests',
  {
    channelId: integer()
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    weekKey: text().notNull(), // e.g. 2026-W48, in the channel's time zone
    postedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.channelId, table.weekKey] })],
);
