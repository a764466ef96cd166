/** Human units in config: durations ("500ms", "10s", "5m", "12h", "7d") and sizes ("64KB", "500MB", "2GB"). */
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

function parseUnit(input: string | number, table: Record<string, number>, what: string): number {
  if (typeof input === 'number') return input;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(input);
  const unit = (m?.[2] ?? '').toLowerCase();
  const factor = unit === '' ? 1 : table[unit];
  if (!m || factor === undefined) {
    throw new Error(`"${input}" is not a ${what} (use ${Object.keys(table).join(', ')})`);
  }
  return Math.round(Number(m[1]) * factor);
}

/** Milliseconds from "10s" style text; a bare number is milliseconds. */
export const parseDuration = (input: string | number): number => parseUnit(input, DURATION_MS, 'duration');
/** Bytes from "500MB" style text; a bare number is bytes. */
export const parseSize = (input: string | number): number => parseUnit(input, SIZE_BYTES, 'size');
