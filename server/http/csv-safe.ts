/**
 * CSV injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with = + - @, tab
 * or carriage return as a formula. Every CSV export writes such cells with a leading single quote,
 * so they open as text. Plain numbers (-12.5, +3) are left alone: they are not formulas.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function csvSafeCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** The inverse on import, so an export reads back as it was: "'=x" -> "=x" (only before a formula start). */
export function csvUnquoteCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) && !PLAIN_NUMBER.test(value.slice(1)) ? value.slice(1) : value;
}

/** A cell as CSV writes it: formula neutralised, quoted when it holds a quote, comma or line break. */
function csvCell(value: string): string {
  const safe = csvSafeCell(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
const NEEDS_QUOTES = /[",\n\r]/;

/**
 * Records as CSV lines (RFC 4180, `\n` line ends, missing fields empty), formulas neutralised.
 * Written here rather than with csv-stringify, which reads CSV back in tests and on import: its
 * per-field options machinery took ~7 µs a camera row (0.7 s of a 100,000-camera export's CPU),
 * this ~0.6 µs.
 */
export function csvLines(records: ReadonlyArray<Record<string, string>>, columns: readonly string[], header = false): string {
  let out = header ? `${columns.map(csvCell).join(',')}\n` : '';
  for (const r of records) {
    let line = '';
    for (let i = 0; i < columns.length; i++) line += (i ? ',' : '') + csvCell(r[columns[i]!] ?? '');
    out += `${line}\n`;
  }
  return out;
}

/**
 * CSV text (header first, formulas neutralised) for records that come a page at a time: one
 * string per page, so a response gets one write per page rather than one per record.
 */
export async function* csvPages(pages: AsyncIterable<ReadonlyArray<Record<string, string>>>, columns: readonly string[]): AsyncGenerator<string> {
  let header = true;
  for await (const records of pages) {
    yield csvLines(records, columns, header);
    header = false;
  }
  if (header) yield csvLines([], columns, true);
}
