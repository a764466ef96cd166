/** Discontinuities: where a camera's recorded segments leave time uncovered. */
export interface Interval {
  start: Date;
  end: Date;
}

/** Gaps longer than toleranceMs between consecutive segments (sorted by start, overlaps merged). */
export function computeGaps(segments: readonly Interval[], toleranceMs = 1_500, from?: Date, to?: Date): Interval[] {
  const sorted = [...segments].sort((a, b) => a.start.getTime() - b.start.getTime());
  const gaps: Interval[] = [];
  let cursor = from?.getTime() ?? sorted[0]?.start.getTime() ?? 0;
  for (const s of sorted) {
    if (s.start.getTime() - cursor > toleranceMs) gaps.push({ start: new Date(cursor), end: s.start });
    cursor = Math.max(cursor, s.end.getTime());
  }
  if (to && to.getTime() - cursor > toleranceMs) gaps.push({ start: new Date(cursor), end: to });
  return gaps;
}
