import { boolean, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** A person on one platform workspace. */
export const members = pgTable(
  'members',
  {
    id: serial().primaryKey(),
    platform: text().notNull(),
    workspaceId: text().notNull(),
    userId: text().notNull(),
    displayName: text().notNull(),
    timeZone: text(), // IANA; null: fall back to the channel's
    hiddenFromBoards: boolean().notNull().default(false), // keeps own stats, leaves public boards
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('members_platform_key').on(table.platform, table.workspaceId, table.userId)],
);
