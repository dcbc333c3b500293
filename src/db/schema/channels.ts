import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** A study channel on one platform, and its daily schedule (Postgres is the truth; BullMQ mirrors it). */
export const channels = pgTable(
  'channels',
  {
    id: serial().primaryKey(),
    platform: text().notNull(),
    workspaceId: text().notNull(),
    channelId: text().notNull(),
    name: text(),
    timeZone: text().notNull().default('UTC'),
    dailyEnabled: boolean().notNull().default(false),
    dailyTime: text().notNull().default('09:00'), // HH:MM, local to timeZone
    dailyDays: text().notNull().default('mon-fri'), // a day spec such as "mon-fri" or "mon,wed,fri"
    deadlineHours: integer().notNull().default(24), // hours
    // full: whole cases; focus: one step of one case; mixed: every case whole first, then alternating
    dailyMode: text().$type<'full' | 'focus' | 'mixed'>().notNull().default('mixed'),
    difficulties: integer().array().notNull().default(sql`'{}'::integer[]`), // empty: any
    tags: text().array().notNull().default(sql`'{}'::text[]`), // empty: any
    pairEnabled: boolean().notNull().default(false),
    pairCadence: text().$type<'weekly' | 'biweekly'>().notNull().default('weekly'),
    pairDay: integer().notNull().default(1), // 1 = Monday ... 7 = Sunday
    pairTime: text().notNull().default('10:00'), // HH:MM in pairTimeZone
    pairTimeZone: text(), // IANA; null: the channel's time zone
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('channels_platform_key').on(table.platform, table.workspaceId, table.channelId)],
);
