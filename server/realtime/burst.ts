/**
 * Bursts of per-camera events: a few go out one event each, many (an outage across the county)
 * as one summary, so 100,000 changes are not 100,000 frames to every console.
 */

/** More changes than this at once are announced as one summary. */
export const EACH_MAX = 20;

/** Calls `each` for every item when there are at most EACH_MAX, else `summary` once with all of them. */
export function eachOrSummary<T>(items: readonly T[], each: (item: T) => void, summary: (items: readonly T[]) => void): void {
  if (items.length === 0) return;
  if (items.length <= EACH_MAX) items.forEach(each);
  else summary(items);
}

/** How many items each owner (a merchant) has; items without an owner are staff-only. */
export function countByOwner<T extends { ownerUserId: string | null }>(items: readonly T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) if (i.ownerUserId) out[i.ownerUserId] = (out[i.ownerUserId] ?? 0) + 1;
  return out;
}
