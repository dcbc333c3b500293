import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

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
  (table) => [
    uniqueIndex('members_platform_key').on(table.platform, table.workspaceId, table.userId),
    // Few members hide; boards subtract them, so find them without scanning every member.
    index('members_hidden_idx').on(table.id).where(sql`${table.hiddenFromBoards}`),
  ],
);
