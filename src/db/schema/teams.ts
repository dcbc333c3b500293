import { integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { members } from './members.ts';

/** A team of members in one workspace, for team leaderboards. */
export const teams = pgTable(
  'teams',
  {
    id: serial().primaryKey(),
    platform: text().notNull(),
    workspaceId: text().notNull(),
    name: text().notNull(),
    nameKey: text().notNull(), // lower-cased name: names are unique per workspace regardless of case
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('teams_name_key').on(table.platform, table.workspaceId, table.nameKey)],
);

/** A member belongs to at most one team (members are per workspace, so this is per workspace too). */
export const teamMembers = pgTable(
  'team_members',
  {
    teamId: integer()
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    memberId: integer()
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    joinedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('team_members_member_key').on(table.memberId)],
);
