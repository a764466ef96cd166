/**
 * Finds every English problem text written in server/: the detail of badRequest / forbidden /
 * unauthorized / conflict / unprocessable, the noun of notFound, the title and detail of
 * `new HttpError(status, title, detail)`, and hand-written field messages (`message: '...'`).
 * Template literals come back with each `${...}` replaced by {0}, {1}, ... (the catalogue's keys).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export type TextKind = 'detail' | 'noun' | 'title' | 'message';
export interface FoundText {
  kind: TextKind;
  text: string;
  at: string;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The string literal starting at src[i] ('...', "..." or `...`), or null; placeholders numbered. */
export function readLiteral(src: string, i: number): { text: string; end: number } | null {
  const q = src[i];
  if (q !== "'" && q !== '"' && q !== '`') return null;
  let out = '';
  let n = 0;
  let j = i + 1;
  while (j < src.length) {
    const c = src[j]!;
    if (c === '\\') {
      out += src[j + 1];
      j += 2;
      continue;
    }
    if (c === q) return { text: out, end: j + 1 };
    if (q === '`' && c === '$' && src[j + 1] === '{') {
      // skip the expression, nested braces and nested template literals included
      let depth = 1;
      j += 2;
      while (j < src.length && depth > 0) {
        const d = src[j]!;
        if (d === '`' || d === "'" || d === '"') {
          const inner = readLiteral(src, j);
          j = inner ? inner.end : j + 1;
          continue;
        }
        if (d === '{') depth++;
        else if (d === '}') depth--;
        j++;
      }
      out += `{${n++}}`;
      continue;
    }
    out += c;
    j++;
  }
  return null;
}

const PATTERNS: { kind: TextKind; re: RegExp; title?: boolean }[] = [
  { kind: 'detail', re: /\b(?:badRequest|forbidden|unauthorized|conflict|unprocessable)\(\s*/g },
  { kind: 'noun', re: /\bnotFound\(\s*/g },
  { kind: 'title', re: /\bnew HttpError\(\s*\d+,\s*/g, title: true },
  { kind: 'message', re: /\bmessage:\s*/g },
];

export function scanServer(root: string): FoundText[] {
  const found: FoundText[] = [];
  for (const file of files(join(root, 'server'))) {
    const src = readFileSync(file, 'utf8');
    for (const p of PATTERNS) {
      for (const m of src.matchAll(p.re)) {
        const start = m.index + m[0].length;
        const lit = readLiteral(src, start);
        const at = `${relative(root, file)}:${src.slice(0, m.index).split('\n').length}`;
        if (!lit) continue;
        found.push({ kind: p.kind, text: lit.text, at });
        if (p.title) {
          const rest = /^,\s*/.exec(src.slice(lit.end));
          const detail = rest ? readLiteral(src, lit.end + rest[0].length) : null;
          if (detail) found.push({ kind: 'detail', text: detail.text, at });
        }
      }
    }
  }
  return found;
}
