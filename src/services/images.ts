import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { DateTime } from 'luxon';
import satori from 'satori';
import { STEP_SHORT, STEPS } from '../core/framework.ts';
import { projectRoot } from '../core/paths.ts';

/** The committed font, so a card looks the same on every machine. */
const FONTS = (() => {
  const dir = join(projectRoot(), 'assets', 'fonts');
  return [
    {
      name: 'Inter',
      data: readFileSync(join(dir, 'Inter-Regular.woff')),
      weight: 400 as const,
      style: 'normal' as const,
    },
    {
      name: 'Inter',
      data: readFileSync(join(dir, 'Inter-Bold.woff')),
      weight: 700 as const,
      style: 'normal' as const,
    },
  ];
})();

export const CARD = { width: 800, height: 420 } as const; // px

const COLORS = {
  background: '#0f172a',
  text: '#e2e8f0',
  muted: '#94a3b8',
  empty: '#1e293b',
  bar: '#38bdf8',
  levels: ['#1e293b', '#0e7490', '#0891b2', '#22d3ee'],
};

type Node = { type: string; props: { style?: Record<string, unknown>; children?: Node | Node[] | string } };
const h = (type: string, style: Record<string, unknown>, children?: Node | Node[] | string): Node => ({
  type,
  props: { style, ...(children === undefined ? {} : { children }) },
});

export type StatsCardInput = {
  name: string;
  /** Points earned per local date (YYYY-MM-DD) in the last 12 weeks. */
  activity: Map<string, number>;
  /** Average coverage per framework step, 0..1. */
  coverage: Record<string, number>;
  streak: number;
  best: number;
  today: string; // YYYY-MM-DD, the last column of the heatmap
};

function heatmap(activity: Map<string, number>, today: string): Node {
  const end = DateTime.fromISO(today);
  const start = end.startOf('week').minus({ weeks: 11 });
  const max = Math.max(1, ...activity.values());
  const columns: Node[] = [];
  for (let week = 0; week < 12; week += 1) {
    const cells: Node[] = [];
    for (let day = 0; day < 7; day += 1) {
      const date = start.plus({ weeks: week, days: day });
      const value = activity.get(date.toISODate() ?? '') ?? 0;
      const level = date > end ? -1 : value === 0 ? 0 : Math.min(3, Math.ceil((value / max) * 3));
      cells.push(
        h('div', {
          width: 18,
          height: 18,
          margin: 2,
          borderRadius: 3,
          backgroundColor: level < 0 ? 'transparent' : COLORS.levels[level],
        }),
      );
    }
    columns.push(h('div', { display: 'flex', flexDirection: 'column' }, cells));
  }
  return h('div', { display: 'flex', flexDirection: 'row' }, columns);
}

function bars(coverage: Record<string, number>): Node {
  return h(
    'div',
    { display: 'flex', flexDirection: 'column', width: 330, flexShrink: 0 },
    STEPS.map((step) => {
      const value = Math.max(0, Math.min(1, coverage[step] ?? 0));
      return h('div', { display: 'flex', alignItems: 'center', marginBottom: 8 }, [
        h('div', { width: 110, flexShrink: 0, fontSize: 16, color: COLORS.muted }, STEP_SHORT[step]),
        h(
          'div',
          {
            display: 'flex',
            width: 150,
            flexShrink: 0,
            height: 16,
            backgroundColor: COLORS.empty,
            borderRadius: 4,
          },
          [
            h('div', {
              width: Math.round(150 * value),
              height: 16,
              backgroundColor: COLORS.bar,
              borderRadius: 4,
            }),
          ],
        ),
        h(
          'div',
          { width: 56, flexShrink: 0, fontSize: 16, color: COLORS.text, marginLeft: 10 },
          `${Math.round(value * 100)}%`,
        ),
      ]);
    }),
  );
}

/** A stats card: a 12-week activity heatmap like a contribution calendar, and coverage per step. */
export async function renderStatsCard(input: StatsCardInput): Promise<Uint8Array> {
  return cardPng(
    input.name,
    `Streak ${input.streak} days · best ${input.best} · last 12 weeks`,
    h(
      'div',
      { display: 'flex', flexDirection: 'row', justifyContent: 'space-between', width: CARD.width - 64 },
      [heatmap(input.activity, input.today), bars(input.coverage)],
    ),
    24,
  );
}

/** A card of the house layout (title, muted subtitle, then `body`), drawn to PNG at CARD size. */
async function cardPng(title: string, subtitle: string, body: Node, gap: number): Promise<Uint8Array> {
  const tree = h(
    'div',
    {
      display: 'flex',
      flexDirection: 'column',
      width: CARD.width,
      height: CARD.height,
      padding: 32,
      backgroundColor: COLORS.background,
      color: COLORS.text,
      fontFamily: 'Inter',
    },
    [
      h('div', { display: 'flex', fontSize: 30, fontWeight: 700 }, title),
      h(
        'div',
        { display: 'flex', fontSize: 18, color: COLORS.muted, marginTop: 6, marginBottom: gap },
        subtitle,
      ),
      body,
    ],
  );
  const svg = await satori(tree as never, { width: CARD.width, height: CARD.height, fonts: FONTS });
  return new Resvg(svg, { fitTo: { mode: 'width', value: CARD.width } }).render().asPng();
}

export type BoardCardInput = {
  title: string;
  subtitle: string;
  rows: Array<{ name: string; points: number }>;
};

/** A leaderboard card for the weekly digest: the top members with bars scaled to the leader. */
export async function renderBoardCard(input: BoardCardInput): Promise<Uint8Array> {
  const max = Math.max(1, ...input.rows.map((row) => row.points));
  const rows = input.rows.slice(0, 5).map((row, index) =>
    h('div', { display: 'flex', alignItems: 'center', marginBottom: 14 }, [
      h('div', { width: 36, fontSize: 22, fontWeight: 700, color: COLORS.muted }, `${index + 1}`),
      h('div', { width: 220, flexShrink: 0, fontSize: 22, color: COLORS.text }, row.name.slice(0, 18)),
      h(
        'div',
        {
          display: 'flex',
          width: 360,
          flexShrink: 0,
          height: 22,
          backgroundColor: COLORS.empty,
          borderRadius: 5,
        },
        [
          h('div', {
            width: Math.max(4, Math.round((360 * row.points) / max)),
            height: 22,
            backgroundColor: COLORS.bar,
            borderRadius: 5,
          }),
        ],
      ),
      h(
        'div',
        { width: 90, flexShrink: 0, fontSize: 20, color: COLORS.text, marginLeft: 14 },
        `${row.points} pts`,
      ),
    ]),
  );
  return cardPng(
    input.title,
    input.subtitle,
    h(
      'div',
      { display: 'flex', flexDirection: 'column' },
      rows.length
        ? rows
        : [h('div', { display: 'flex', fontSize: 20, color: COLORS.muted }, 'No points this week yet.')],
    ),
    28,
  );
}
