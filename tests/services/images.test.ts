import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CARD, renderBoardCard, renderStatsCard } from '../../src/services/images.ts';

describe('stats card image', () => {
  it('renders a PNG of the card size whose pixels are not blank, heatmap and bars included', async () => {
    const png = await renderStatsCard({
      name: 'Ana',
      activity: new Map([
        ['2026-11-20', 30],
        ['2026-11-19', 12],
        ['2026-10-02', 5],
      ]),
      coverage: {
        clarify: 0.9,
        frame: 0.7,
        data: 0.4,
        features: 0.5,
        model: 1,
        serving: 0.3,
        monitoring: 0.1,
      },
      streak: 3,
      best: 7,
      today: '2026-11-21',
    });
    const image = PNG.sync.read(Buffer.from(png));
    expect(image.width).toBe(CARD.width);
    expect(image.height).toBe(CARD.height);
    const colours = new Set<number>();
    for (let offset = 0; offset < image.data.length; offset += 4 * 97)
      colours.add(image.data.readUInt32BE(offset));
    expect(colours.size).toBeGreaterThan(4);
    // The bar colour (#38bdf8) is there: the coverage bars were drawn.
    let bar = false;
    for (let offset = 0; offset < image.data.length; offset += 4) {
      if (image.data[offset] === 0x38 && image.data[offset + 1] === 0xbd && image.data[offset + 2] === 0xf8) {
        bar = true;
        break;
      }
    }
    expect(bar).toBe(true);
  });
});

describe('leaderboard card image', () => {
  it('renders the week’s top members as a PNG of the card size', async () => {
    const png = await renderBoardCard({
      title: 'Week in review',
      subtitle: '2026-W48',
      rows: [
        { name: 'Ana', points: 40 },
        { name: 'Ben', points: 25 },
      ],
    });
    const image = PNG.sync.read(Buffer.from(png));
    expect([image.width, image.height]).toEqual([CARD.width, CARD.height]);
    const colours = new Set<number>();
    for (let offset = 0; offset < image.data.length; offset += 4 * 89)
      colours.add(image.data.readUInt32BE(offset));
    expect(colours.size).toBeGreaterThan(3);
  });
});
