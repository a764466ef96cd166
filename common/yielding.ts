/**
 * Long loops in slices: the event loop turns between slices, so sockets, health checks and lease
 * renewal go on while a loop over 100,000 items (an import's rows, a county's open gaps) runs.
 * A slice should be a few milliseconds of work.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Items handled between two turns of the event loop where a caller does not say. */
export const SLICE = 1_000;

/** fn over every item (arrays, Sets, Maps: a Map may lose entries while it is walked), turning the event loop every `slice` items. */
export async function forEachYielding<T>(items: Iterable<T>, fn: (item: T, index: number) => void, slice = SLICE): Promise<void> {
  let i = 0;
  for (const item of items) {
    if (i > 0 && i % slice === 0) await nextTurn();
    fn(item, i++);
  }
}

/** items.map(fn), turning the event loop every `slice` items. */
export async function mapYielding<T, R>(items: readonly T[], fn: (item: T, index: number) => R, slice = SLICE): Promise<R[]> {
  const out: R[] = [];
  await forEachYielding(items, (item, i) => out.push(fn(item, i)), slice);
  return out;
}
