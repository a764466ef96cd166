/** The languages problems are written in, and which one an Accept-Language header asks for. Pure. */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** One language range of Accept-Language as ours, or null: any zh (zh, zh-CN, zh-Hans-CN, zh-TW) is zh-CN. */
function ours(range: string): Language | null {
  const tag = range.toLowerCase();
  if (tag === '*' || tag === 'en' || tag.startsWith('en-')) return 'en';
  if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  return null;
}

/**
 * The language an Accept-Language header prefers (RFC 9110 §12.5.4: highest q first, equal q in
 * the order given, q=0 refused); English when the header is absent or names nothing we speak.
 */
export function pickLanguage(header: string | undefined | null): Language {
  if (!header) return 'en';
  const ranges = header
    .split(',')
    .map((part, i) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)).find(Boolean);
      const weight = q ? Number(q[1]) : 1;
      return { range: range.trim(), q: Number.isFinite(weight) ? weight : 0, i };
    })
    .filter((r) => r.range && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    const lang = ours(r.range);
    if (lang) return lang;
  }
  return 'en';
}
