import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = (args: string[], input?: string) => {
  const child = run('node', ['bin/mlsd.js', ...args], { env: { ...process.env, LOG_LEVEL: 'silent' } });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return child;
};

describe('mlsd CLI', () => {
  it('grades an answer from stdin and prints total, coverage per step and concepts as JSON', async () => {
    const { stdout } = await cli(
      ['grade', 'fraud-detection', '-'],
      'I would track PR-AUC because fraud is rare, and use gradient boosted trees because they fit tabular data.',
    );
    const json = JSON.parse(stdout) as {
      total: number;
      coverage: Record<string, number>;
      steps: Record<string, { matched: string[]; missed: string[] }>;
    };
    expect(json.total).toBeGreaterThan(0);
    expect(Object.keys(json.coverage)).toHaveLength(7);
    expect(json.steps.model?.matched).toEqual(expect.arrayContaining(['pr auc', 'gradient boosted trees']));
    expect(json.steps.clarify?.missed.length).toBeGreaterThan(0);
  });

  it('names the known cases when the case id is wrong', async () => {
    await expect(cli(['grade', 'no-such-case', '-'], 'x')).rejects.toMatchObject({
      stderr: expect.stringContaining('fraud-detection'),
    });
  });

  it('makes an encryption key, and prints the OAuth redirect URL for installing in many workspaces', async () => {
    const { stdout } = await cli(['keys', 'new']);
    expect(Buffer.from(stdout.trim(), 'base64')).toHaveLength(32);
    const manifest = await cli(['slack', 'manifest', '--url', 'https://bot.example.com']);
    const json = JSON.parse(manifest.stdout) as {
      oauth_config: { redirect_urls: string[] };
      settings: { event_subscriptions: { bot_events: string[] } };
    };
    expect(json.oauth_config.redirect_urls).toEqual(['https://bot.example.com/slack/oauth_redirect']);
    expect(json.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_uninstalled', 'tokens_revoked']),
    );
    expect(manifest.stderr).toContain('https://bot.example.com/slack/install');
  });

  it('checks the content library', async () => {
    const { stdout } = await cli(['content', 'check']);
    expect(stdout).toMatch(/18 case studies, \d+ trade-off cards, 0 problems/);
  });

  it('prints a manifest and refuses an unknown command with the usage', async () => {
    const { stdout } = await cli(['slack', 'manifest', '--url', 'https://bot.example.com']);
    expect(JSON.parse(stdout).features.slash_commands[0].command).toBe('/mlsd');
    await expect(cli(['frobnicate'])).rejects.toMatchObject({ stderr: expect.stringContaining('Usage:') });
  });

  it('stops at start-up with every configuration problem listed', async () => {
    const child = run('node', ['bin/mlsd.js', 'start'], {
      env: { ...process.env, PORT: 'x', SLACK_BOT_TOKEN: 'xoxb-1' },
    });
    await expect(child).rejects.toMatchObject({
      stderr: expect.stringMatching(/PORT[\s\S]*SLACK_SIGNING_SECRET/),
    });
  });
});
