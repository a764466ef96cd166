/** Import files: CSV or JSON, decided by extension, then by content. Pure. */
import type { ImportFormat } from '@web/api/cameras';

export function detectFormat(fileName: string, text: string): ImportFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '[' || first === '{' ? 'json' : 'csv';
}

/** Drop a UTF-8 byte-order mark (Excel writes one into CSV). */
export const stripBom = (text: string) => text.replace(/^\uFEFF/, '');
