/** common/yielding.ts: long loops let the event loop turn between slices, and still visit every item in order. */
import { expect } from 'chai';
import { forEachYielding, mapYielding } from '@common/yielding';

describe('loops in slices (common/yielding)', () => {
  it('visits every item in order and lets the event loop turn once per slice', async () => {
    const seen: number[] = [];
    const turns: number[] = [];
    // A callback queued for the event loop's next turn records how far the loop had got then.
    const tick = () => setImmediate(() => (turns.push(seen.length), seen.length < 10 && tick()));
    tick();
    await forEachYielding(Array.from({ length: 10 }, (_, i) => i), (x) => seen.push(x), 3);
    expect(seen).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(turns.slice(0, 3), 'a turn after each slice of 3').to.deep.equal([3, 6, 9]);
  });

  it('walks a Map whose entries are deleted as it goes, and maps arrays', async () => {
    const m = new Map(Array.from({ length: 2_500 }, (_, i) => [i, i % 2] as const));
    await forEachYielding(m, ([k, odd]) => odd && m.delete(k));
    expect(m.size).to.equal(1_250);
    expect(await mapYielding([1, 2, 3], (x, i) => x * 10 + i, 2)).to.deep.equal([10, 21, 32]);
  });
});
