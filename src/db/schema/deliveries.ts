import { integer, jsonb, pgTable, primaryKey, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';

/** Platform deliveries already handled (Slack event ids, Discord interaction ids), so retries are no-ops. */
export const deliveries = pgTable(
  'deliveries',
  {
    platform: text().notNull(),
    deliveryId: text().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.platform, table.deliveryId] })],
);

/**
 * Forms kept between steps: a Discord form longer than one modal (its pages' answers so far), or a form
 * reopened to fix a problem. One per person and form; old ones are pruned with deliveries.
 */
export const formDrafts = pgTable(
  'form_drafts',
  {
    id: serial().primaryKey(),
    platform: text().notNull(),
    workspaceId: text().notNull(),
    userId: text().notNull(),
    formId: text().notNull(),
    form: jsonb().notNull(),
    values: jsonb().$type<Record<string, string>>().notNull(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique().on(table.platform, table.workspaceId, table.userId, table.formId)],
);

/**
 * Messages that must reach a platform exactly once (daily posts, close-outs, mock notifications, digests),
 * by key. A sender claims the key before sending and records what it sent after; a claim older than the
 * claim lifetime was left by a sender that died and may be taken over. `attempts` above one tells the next
 * sender that an earlier one may have sent already, so it asks the platform before sending again.
 */
export const sends = pgTable('sends', {
  key: text().primaryKey(),
  claimedAt: timestamp({ withTimezone: true }),
  attempts: integer().notNull().default(0),
  sentAt: timestamp({ withTimezone: true }),
  ref: jsonb().$type<{ messageId?: string; threadId?: string; channelId?: string; permalink?: string }>(),
});
