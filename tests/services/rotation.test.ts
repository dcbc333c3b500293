import { describe, expect, it } from 'vitest';
import type { ChannelRow } from '../../src/db/queries/channels.ts';
import { loadLibrary } from '../../src/services/content.ts';
import { chooseCase } from '../../src/services/daily.ts';
import type { Deps } from '../../src/services/deps.ts';

const library = loadLibrary();
const deps = { library } as Deps;
const channel = (overrides: Partial<ChannelRow> = {}) =>
  ({ id: 7, difficulties: [], tags: [], ...overrides }) as ChannelRow;

function cycle(row: ChannelRow, days: number): string[] {
  const posted = new Map<string, number>();
  const order: string[] = [];
  for (let day = 0; day < days; day += 1) {
    const study = chooseCase(deps, row, posted);
    posted.set(study.id, (posted.get(study.id) ?? 0) + 1);
    order.push(study.id);
  }
  return order;
}

describe('case rotation', () => {
  it('gives a channel every case once before any repeats, then restarts the cycle', () => {
    const size = library.cases.size;
    const order = cycle(channel(), size * 2);
    expect(new Set(order.slice(0, size)).size).toBe(size);
    expect(new Set(order.slice(size)).size).toBe(size);
  });

  it('honours a difficulty and tag filter', () => {
    const order = cycle(channel({ difficulties: [3] }), 6);
    for (const id of order) expect(library.cases.get(id)?.difficulty).toBe(3);
    const tagged = cycle(channel({ tags: ['recsys'] }), 4);
    for (const id of tagged) expect(library.cases.get(id)?.tags).toContain('recsys');
  });

  it('orders cases differently per channel, so neighbouring groups do not move in lockstep', () => {
    expect(cycle(channel({ id: 1 }), 5)).not.toEqual(cycle(channel({ id: 2 }), 5));
  });
});
