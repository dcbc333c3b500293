import { boolean, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One Slack installation per workspace, or per Enterprise Grid organisation for an org-wide install
 * (`installKey` is `T:<team>` or `E:<enterprise>`). The whole installation, tokens included, is stored
 * sealed (AES-256-GCM) under the key named by `keyId`; only the ids needed to find it are in the clear.
 */
export const slackInstallations = pgTable('slack_installations', {
  id: serial().primaryKey(),
  installKey: text().notNull().unique(),
  teamId: text(),
  enterpriseId: text(),
  isEnterpriseInstall: boolean().notNull().default(false),
  keyId: text().notNull(),
  sealed: text().notNull(),
  installedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Which organisation a workspace belongs to, learnt from its events: jobs find an org-wide install by it. */
export const slackTeamEnterprises = pgTable('slack_team_enterprises', {
  teamId: text().primaryKey(),
  enterpriseId: text().notNull(),
});

/**
 * A workspace that removed the bot: its schedules stop at once, its study data is kept until `purgeAfter`
 * (a reinstall before then deletes this row and picks everything up again).
 */
export const workspaceDepartures = pgTable(
  'workspace_departures',
  {
    platform: text().notNull(),
    workspaceId: text().notNull(),
    departedAt: timestamp({ withTimezone: true }).notNull(),
    purgeAfter: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.platform, table.workspaceId] })],
);
