/** Incident numbers (pure): <station name or prefix>-<year>-<5-digit sequence>, the year in a given time zone. */

/** The calendar year of `at` in time zone `tz` (e.g. Asia/Shanghai: 2026-12-31T17:00Z is already 2027). */
export function yearIn(at: Date, tz: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric' }).format(at));
}

export function formatNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}-${year}-${String(seq).padStart(5, '0')}`;
}

/** The counter a new incident draws from: one per station, one for incidents without a station. */
export const numberScope = (stationId: string | null): string => stationId ?? '-';
