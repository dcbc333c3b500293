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
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(platformsEnabled(config)).toEqual({ slack: false, discord: false });
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

  it('runs Slack in Socket Mode with an app token and both platforms when both are set', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', DISCORD_TOKEN: 'abc' });
    expect(platformsEnabled(config)).toEqual({ slack: true, discord: true });
  });
});
