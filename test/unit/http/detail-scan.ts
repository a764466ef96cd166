/**
 * Finds every English problem text written in server/: the detail of badRequest / forbidden /
 * unauthorized / conflict / unprocessable, the noun of notFound, the title and detail of
 * `new HttpError(status, title, detail)`, and hand-written field messages (`message: '...'`, a zod
 * schema's own messages: `.min(1, '...')`, `.regex(/re/, '...')`, `.refine(fn, '...')`, `error: '...'`,
 * and the device errors discovery reports per device).
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

/** The index just past the first argument starting at src[i] (balanced brackets, literals skipped), at its comma. */
function skipArgument(src: string, i: number): number | null {
  let depth = 0;
  for (let j = i; j < src.length; j++) {
    const c = src[j]!;
    if (c === "'" || c === '"' || c === '`') {
      const lit = readLiteral(src, j);
      if (!lit) return null;
      j = lit.end - 1;
    } else if (c === '/' && depth === 0 && j === i) {
      const re = /^\/(?:\\.|\[(?:\\.|[^\]])*\]|[^/\\\n])+\/[a-z]*/.exec(src.slice(j));
      if (!re) return null;
      j += re[0].length - 1;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return null;
      depth--;
    } else if (c === ',' && depth === 0) return j + 1;
  }
  return null;
}

const PATTERNS: { kind: TextKind; re: RegExp; title?: boolean; skipFirst?: boolean }[] = [
  { kind: 'detail', re: /\b(?:badRequest|forbidden|unauthorized|conflict|unprocessable)\(\s*/g },
  { kind: 'noun', re: /\bnotFound\(\s*/g },
  { kind: 'title', re: /\bnew HttpError\(\s*\d+,\s*/g, title: true },
  { kind: 'message', re: /\bmessage:\s*/g },
  { kind: 'message', re: /\berror:\s*/g },
  { kind: 'message', re: /\.(?:min|max|length|regex|refine)\(\s*/g, skipFirst: true },
  { kind: 'message', re: /\bnew DeviceError\(\s*/g, skipFirst: true },
];

export function scanServer(root: string): FoundText[] {
  const found: FoundText[] = [];
  for (const file of files(join(root, 'server'))) {
    const src = readFileSync(file, 'utf8');
    for (const p of PATTERNS) {
      for (const m of src.matchAll(p.re)) {
        let start: number | null = m.index + m[0].length;
        if (p.skipFirst) start = skipArgument(src, start);
        if (start === null) continue;
        while (/\s/.test(src[start] ?? '')) start++;
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
