import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/core/log.ts';
import { Playground } from '../../src/playground.ts';
import { createTestDatabase } from '../helpers/db.ts';

const REASONED = readFileSync(
  new URL('../fixtures/answers/fraud-reasoned.md', import.meta.url),
  'utf8',
).replace(/\n+/g, ' ');

/** The terminal playground: the same core as Slack and Discord, a virtual clock, a scripted week. */
describe('playground', () => {
  let playground: Playground;
  const transcript: string[] = [];

  beforeAll(async () => {
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      MLSD_DEFAULT_TIME_ZONE: 'Europe/Berlin',
      MLSD_DATA_DIR: mkdtempSync(join(tmpdir(), 'mlsd-play-')),
    });
    playground = await Playground.start({
      config,
      log: createLogger('silent', { pretty: false }),
      fresh: true,
      print: (text) => transcript.push(text),
      now: new Date('2026-11-22T07:00:00Z'), // Sunday 08:00 in Berlin
      database: await createTestDatabase(),
    });
  });

  afterAll(async () => {
    await playground?.bot.stop();
  });

  const script = async (...lines: string[]) => {
    const start = transcript.length;
    for (const line of lines) await playground.handle(line);
    return transcript.slice(start).join('\n');
  };

  it('explains itself and how to connect a real workspace', () => {
    const banner = playground.banner();
    expect(banner).toMatch(/playground/);
    expect(banner).toMatch(/SLACK_BOT_TOKEN/);
    expect(banner).toMatch(/:help/);
  });

  it('posts the day’s case at 09:00 local time and grades answers privately, from you and a simulated member', async () => {
    const out = await script(':clock +2h', REASONED, `:as ana ${REASONED.slice(0, 600)}`);
    expect(out).toMatch(/Daily case:/);
    expect(out).toMatch(/\[only visible to you\] mlsd-bot:\n== (Updated answer|Answer) graded: \d+\/100/);
    expect(out).toMatch(/\[only visible to Ana\] mlsd-bot:/);
  });

  it('lets members upvote each other’s answers with 👍, once each and never their own', async () => {
    expect(await script(':upvote ana')).toMatch(/👍 counted: Ana earns 2 points/);
    expect(await script(':upvote ana')).toMatch(/upvoted that answer already/);
    expect(await script(':as ana :upvote ana')).toMatch(/Your own answer/);
    expect(await script(':upvote cal')).toMatch(/Cal has not replied in a daily thread yet/);
    expect(await script('/mlsd stats')).not.toMatch(/👍 from/); // the award is Ana's, not yours
    expect(await script(':as ana /mlsd stats')).toMatch(/\+2: 👍 from you on your ".+" answer/);
  });

  it('lets a simulated week pass: close-outs, new posts, a pairing round with the guide, and the leaderboard', async () => {
    const out = await script(':clock +1d', ':clock +1d', '/mlsd leaderboard all');
    expect(out).toMatch(/Close-out:/);
    expect(out).toMatch(/Reference outline:/);
    expect((out.match(/Daily case:/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(out).toMatch(/\[group @[A-Za-z]+, @[A-Za-z]+(, @[A-Za-z]+)?\] mlsd-bot:\n== 🎤 Mock interview/);
    expect(out).toMatch(/\[DM to @[A-Za-z]+\] mlsd-bot:\n== 🧾 Interviewer guide/);
    expect(out).toMatch(/Leaderboard/);
    expect(out).toMatch(/1\. @(you|Ana): \d+ pts/);
  });

  it('lets a member set the time zone their streak days follow', async () => {
    expect(await script('/mlsd timezone')).toMatch(/Your time zone is Europe\/Berlin: streak days/);
    expect(await script(':as cal /mlsd timezone Asia/Tokyo')).toMatch(/Your time zone is now Asia\/Tokyo/);
    expect(await script(':as cal /mlsd timezone')).toMatch(/Your time zone is Asia\/Tokyo: streak days/);
    expect(await script('/mlsd timezone Mars/Base')).toMatch(/IANA time zone/);
  });

  it('answers mistakes with what to do instead', async () => {
    expect(await script(':clock soon')).toMatch(/Use :clock \+30m/);
    expect(await script(':as 9lives hi')).toMatch(/can't be a member's name here/);
    expect(await script(':upvote nobody')).toMatch(/No member "nobody" in #study\. Members: ana, ben, cal/);
  });

  it('adds a new name given to :as as a member of the channel, and says so once', async () => {
    const first = await script(':as zed /mlsd timezone');
    expect(first).toMatch(/👋 Zed joins #study as a new member/);
    expect(first).toMatch(/\(Zed\) \/mlsd timezone/);
    expect(first).toMatch(/\[only visible to Zed\] mlsd-bot:\n.*Your time zone is/);
    const again = await script(':as zed /mlsd pair status');
    expect(again).not.toMatch(/joins #study/);
    expect(again).toMatch(/\[only visible to Zed\][\s\S]*Opted in as mid/);
  });

  it('answers an unknown word with one line: the closest commands and how to see them all', async () => {
    const out = await script('/mlsd leaderbord');
    expect(out).toMatch(
      /I don't know `\/mlsd leaderbord`\. Did you mean `\/mlsd leaderboard`\? `\/mlsd help` lists everything/,
    );
    expect(out.trim().split('\n')).toHaveLength(3); // the echo, the speaker line, the one-line answer
  });

  it('shows help in the words typed here: default subcommands left out', async () => {
    const out = await script('/mlsd help');
    expect(out).toMatch(/`\/mlsd card \[id\]`/);
    expect(out).toMatch(/`\/mlsd stats \[member\]`/);
    expect(out).not.toMatch(/\/mlsd (card|stats|case|framework) show/);
  });
});

describe('mlsd playground (the CLI, stdin to stdout)', () => {
  it('runs a piped script to the end of input and exits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlsd-play-cli-'));
    const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
      const child = execFile(
        'node',
        ['bin/mlsd.js', 'playground', '--fresh'],
        {
          env: { ...process.env, MLSD_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
          timeout: 60_000,
        },
        (error, out) => (error ? reject(error) : resolve({ stdout: out })),
      );
      child.stdin?.end('/mlsd daily\n:clock +1d\n/mlsd help\n');
    });
    expect(stdout).toMatch(/mlsd-bot playground/);
    expect(stdout).toMatch(/Daily case:/);
    expect(stdout).toMatch(/Close-out:/);
    expect(stdout).toMatch(/mlsd-bot: daily ML system design practice/);
  }, 90_000);
});
