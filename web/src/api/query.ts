/** Query strings from plain objects: empty strings, null and undefined are left out. Pure. */
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

export function buildQuery(params: Record<string, QueryValue>): string {
  const sp = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const v of value) sp.append(key, String(v));
      continue;
    }
    const s = typeof value === 'string' ? value.trim() : String(value);
    if (s !== '') sp.append(key, s);
  }
  const qs = sp.toString();
  return qs ? `?${qs}` : '';
}
