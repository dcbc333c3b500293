import { describe, expect, it } from 'vitest';
import { teamBoardMessage } from '../../content/board-messages.ts';
import { quoted } from '../../content/text.ts';
import { textProblem } from '../../src/core/args.ts';
import { defuse, toSlackMessage } from '../../src/platforms/slack/render.ts';

/** What people type never pings a crowd or passes for the bot's own markup when shown back. */
describe('hostile text', () => {
  it('defuses mentions in quoted text: <@id>, <!here>, <@&role>, @everyone', () => {
    const text = quoted('hi <@U123> <!here> <!subteam^S1|@ops> <@&42> @everyone @Here and @channel');
    expect(text).not.toMatch(/<[@!#]/);
    expect(text).not.toMatch(/@(everyone|here|channel)\b/i);
    expect(text.replace(/\u200b/g, '')).toBe(
      'hi <@U123> <!here> <!subteam^S1|@ops> <@&42> @everyone @Here and @channel',
    );
  });

  it('escapes Slack broadcast mentions everywhere in a rendered message, but keeps people and dates', () => {
    expect(defuse('<!channel> <!here|here> <!everyone> <!subteam^S1>')).toBe(
      '&lt;!channel> &lt;!here|here> &lt;!everyone> &lt;!subteam^S1>',
    );
    expect(defuse('<@U123> <!date^1700000000^{date}|Nov 14>')).toBe(
      '<@U123> <!date^1700000000^{date}|Nov 14>',
    );
    const rendered = JSON.stringify(
      toSlackMessage({
        text: 'x <!here>',
        title: 'T',
        body: '<!channel>',
        sections: [{ heading: '<!everyone>', body: 'b' }],
      }),
    );
    expect(rendered).not.toMatch(/<!(here|channel|everyone)/);
  });

  it('shows a team named to ping as plain words on the team board', () => {
    const board = JSON.stringify(
      teamBoardMessage({
        period: 'week',
        teams: [{ name: '@everyone <!here>', perActive: 1, points: 1, active: 1 }],
        channels: [],
      }),
    );
    expect(board).not.toMatch(/@everyone|<!here>/);
  });

  it('refuses command text that is too long or holds control characters, saying what to do', () => {
    expect(textProblem('x'.repeat(1_001))).toMatch(/1,001 characters; a command takes at most 1,000/);
    expect(textProblem('team create a\u0000b')).toMatch(/invisible control characters/);
    expect(textProblem('team create \u202Eevil')).toMatch(/invisible control characters/);
    expect(textProblem('team create Zoë 名前 🚀')).toBeUndefined();
  });
});
