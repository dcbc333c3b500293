import { describe, expect, it } from 'vitest';
import { slackManifest } from '../../src/platforms/slack/manifest.ts';
import { validateSlackManifest } from '../helpers/fake-slack.ts';

describe('mlsd slack manifest', () => {
  it('is valid against Slack’s manifest schema for HTTP mode, with the events URL everywhere', () => {
    const manifest = slackManifest({ url: 'https://bot.example.com', socketMode: false });
    expect(validateSlackManifest(manifest)).toEqual([]);
    expect(manifest.features.slash_commands[0]).toMatchObject({
      command: '/mlsd',
      url: 'https://bot.example.com/slack/events',
    });
    expect(manifest.settings.event_subscriptions.bot_events).toContain('message.channels');
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['commands', 'chat:write', 'users:read', 'channels:history']),
    );
  });

  it('is valid for Socket Mode, with no request URLs', () => {
    const manifest = slackManifest({ socketMode: true });
    expect(validateSlackManifest(manifest)).toEqual([]);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(manifest)).not.toContain('request_url');
  });
});
