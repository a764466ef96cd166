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

/** csv-stringify options that neutralise formulas in every string cell. */
export const csvSafeCast = { cast: { string: csvSafeCell } };

/** The inverse on import, so an export reads back as it was: "'=x" -> "=x" (only before a formula start). */
export function csvUnquoteCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) && !PLAIN_NUMBER.test(value.slice(1)) ? value.slice(1) : value;
}
