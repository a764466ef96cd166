/**
 * Problem texts in the request's language. The server writes English; `translate` looks the text
 * up in the zh-CN catalogue: an exact key first, then the keys with `{n}` placeholders (the most
 * specific first), filling each captured value in translated when the value is itself a key. A text
 * with no entry stays English (test/unit/http/messages.test.ts keeps that from happening to any
 * text written in server/).
 */
import { TEXTS, TITLES } from './zh-CN';

export { pickLanguage, type Language, LANGUAGES } from './language';
import type { Language } from './language';

interface Pattern {
  re: RegExp;
  zh: string;
  literal: number;
}

const PLACEHOLDER = /\{(\d+)\}/g;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(key: string, zh: string): Pattern {
  let re = '^';
  let last = 0;
  let literal = 0;
  for (const m of key.matchAll(PLACEHOLDER)) {
    re += escape(key.slice(last, m.index)) + '([\\s\\S]+?)';
    literal += m.index - last;
    last = m.index + m[0].length;
  }
  literal += key.length - last;
  return { re: new RegExp(re + escape(key.slice(last)) + '$'), zh, literal };
}

const PATTERNS: Pattern[] = Object.entries(TEXTS)
  .filter(([k]) => /\{\d+\}/.test(k))
  .map(([k, v]) => compile(k, v))
  .sort((a, b) => b.literal - a.literal);

function zhText(text: string, depth: number): string | undefined {
  const exact = TEXTS[text];
  if (exact !== undefined) return exact;
  if (depth > 2) return undefined;
  for (const p of PATTERNS) {
    const m = p.re.exec(text);
    if (!m) continue;
    return p.zh.replace(PLACEHOLDER, (_, n: string) => {
      const value = m[Number(n) + 1] ?? '';
      return zhText(value, depth + 1) ?? value;
    });
  }
  return undefined;
}

/** A detail, field message or noun in `lang`; English (and anything unknown) comes back as is. */
export function translate(text: string, lang: Language): string {
  return lang === 'en' ? text : (zhText(text, 0) ?? text);
}

/** A problem title in `lang`. */
export function translateTitle(title: string, lang: Language): string {
  return lang === 'en' ? title : (TITLES[title] ?? title);
}
