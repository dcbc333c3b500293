import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, platformsEnabled } from '../src/config.ts';

describe('config', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      MLSD_DATA_DIR: '.data',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: 3000,
      LOG_LEVEL: 'info',
      MLSD_DAY_START_HOUR: 0,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(platformsEnabled(config)).toEqual({ slack: false, discord: false });
  });

  it('refuses OAuth (many workspaces) without an encryption key, saying how to make one', () => {
    const oauth = {
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'secret',
      SLACK_STATE_SECRET: 'state',
      SLACK_SIGNING_SECRET: 'signing',
    };
    expect(() => loadConfig(oauth)).toThrow(
      /MLSD_ENCRYPTION_KEY is required with SLACK_CLIENT_ID.*mlsd keys new/,
    );
    expect(() => loadConfig({ ...oauth, MLSD_ENCRYPTION_KEY: 'short' })).toThrow(
      /MLSD_ENCRYPTION_KEY is not a key/,
    );
    expect(() =>
      loadConfig({ ...oauth, MLSD_ENCRYPTION_KEY: 'a'.repeat(64), SLACK_BOT_TOKEN: 'xoxb-1' }),
    ).toThrow(/SLACK_BOT_TOKEN must be unset when SLACK_CLIENT_ID is set/);
    expect(() => loadConfig({ SLACK_CLIENT_ID: '1.2' })).toThrow(/SLACK_CLIENT_SECRET is needed too/);
    const config = loadConfig({ ...oauth, MLSD_ENCRYPTION_KEY: 'a'.repeat(64) });
    expect(platformsEnabled(config).slack).toBe(true);
    expect(config.MLSD_UNINSTALL_RETENTION_DAYS).toBe(30);
  });

  it('lists every problem at once with the variable to set', () => {
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', SLACK_BOT_TOKEN: 'xoxb-1' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'SLACK_SIGNING_SECRET'])
        expect(message).toContain(name);
      expect((error as ConfigError).problems).toHaveLength(4);
    }
  });

  it('takes a day-start hour from 0 to 23 and says so for anything else', () => {
    expect(loadConfig({ MLSD_DAY_START_HOUR: '4' }).MLSD_DAY_START_HOUR).toBe(4);
    for (const value of ['24', '-1', '4.5', 'dawn'])
      expect(() => loadConfig({ MLSD_DAY_START_HOUR: value })).toThrow(
        /MLSD_DAY_START_HOUR must be an hour from 0 to 23/,
      );
  });

  it('runs Slack in Socket Mode with an app token and both platforms when both are set', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', DISCORD_TOKEN: 'abc' });
    expect(platformsEnabled(config)).toEqual({ slack: true, discord: true });
  });
});
