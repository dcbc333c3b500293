import { LogLevel } from '@slack/bolt';
import type { Logger } from 'pino';
import type { InstallationKey } from '../../core/types.ts';

// What Slack's payloads say, read into the shapes the adapter needs.

/** Bolt's logger interface, fed into our pino logger. */
export function boltLogger(log: Logger) {
  let level = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => log.debug({ slack: msg }, 'bolt'),
    info: (...msg: unknown[]) => log.debug({ slack: msg }, 'bolt'),
    warn: (...msg: unknown[]) => log.warn({ slack: msg }, 'bolt'),
    error: (...msg: unknown[]) => log.error({ slack: msg }, 'bolt'),
    setLevel: (value: LogLevel) => {
      level = value;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/** Which installation an event came from (the body names the workspace or organisation). */
export function installationOf(
  context: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean },
  body: unknown,
): InstallationKey {
  const envelope = body as { team_id?: string; enterprise_id?: string; is_enterprise_install?: boolean };
  return {
    teamId: context.teamId ?? envelope.team_id,
    enterpriseId: context.enterpriseId ?? envelope.enterprise_id,
    isEnterpriseInstall: Boolean(context.isEnterpriseInstall ?? envelope.is_enterprise_install),
  };
}

export type SlackMessageEvent = {
  type: 'message';
  subtype?: string;
  channel: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  team?: string;
  message?: SlackMessageEvent & { edited?: { ts: string } };
};

/** A person's reply inside a thread (new or edited); undefined for anything else. */
export function threadReply(event: SlackMessageEvent) {
  const edited = event.subtype === 'message_changed' ? event.message : undefined;
  const message = edited ?? event;
  if (
    event.subtype &&
    event.subtype !== 'message_changed' &&
    event.subtype !== 'thread_broadcast' &&
    event.subtype !== 'file_share'
  ) {
    return undefined;
  }
  if (message.bot_id || !message.user || !message.thread_ts || message.thread_ts === message.ts)
    return undefined;
  return {
    channel: event.channel,
    user: message.user,
    text: message.text ?? '',
    ts: message.ts,
    threadTs: message.thread_ts,
    team: message.team ?? event.team,
    editedTs: edited?.edited?.ts,
  };
}

/** Slack names emoji ("+1", "thumbsup::skin-tone-3"); the core speaks unicode. Only 👍 matters so far. */
export function unicodeReaction(name: string): string {
  const base = name.replace(/::skin-tone-\d$/, '');
  return base === '+1' || base === 'thumbsup' ? '👍' : `:${name}:`;
}
