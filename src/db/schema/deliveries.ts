import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

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
