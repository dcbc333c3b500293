import { jsonb, pgTable, primaryKey, serial, text, timestamp, unique } from 'drizzle-orm/pg-core';

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
