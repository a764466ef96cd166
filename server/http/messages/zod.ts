/**
 * A zod issue's message in the request's language. Messages zod wrote itself (its English locale)
 * are written again with zod's own zh-CN locale; messages a schema wrote (`refine`, `addIssue`)
 * go through the catalogue like any other server text.
 */
import { z, type core } from 'zod';
import { translate } from './index';
import type { Language } from './language';

type Issue = core.$ZodIssue;
type LocaleError = (issue: Record<string, unknown>) => string | { message: string } | undefined | null;

const EN = z.locales.en().localeError as unknown as LocaleError;
const ZH = z.locales.zhCN().localeError as unknown as LocaleError;

/** Finished issues drop `input`; invalid_type names its type in the English message, so rebuild one of that type. */
const SAMPLE: Record<string, unknown> = { string: '', number: 0, nan: NaN, boolean: false, bigint: 0n, symbol: Symbol('x'), array: [], null: null, object: {}, undefined, function: () => undefined, date: new Date(0) };

function raw(issue: Issue): Record<string, unknown> {
  const r: Record<string, unknown> = { ...issue };
  if (issue.code === 'invalid_type' && !('input' in issue)) {
    const received = /, received (\w+)$/.exec(issue.message)?.[1];
    if (received && received in SAMPLE) r.input = SAMPLE[received];
  }
  return r;
}

const text = (m: ReturnType<LocaleError>) => (typeof m === 'string' ? m : (m?.message ?? undefined));

/** The English message as the API always sent it. */
export function englishMessage(issue: Issue): string {
  return issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message;
}

export function zodMessage(issue: Issue, lang: Language): string {
  const english = englishMessage(issue);
  if (lang === 'en') return english;
  const r = raw(issue);
  if (issue.code !== 'unrecognized_keys' && text(EN(r)) === issue.message) return text(ZH(r)) ?? english;
  return translate(english, lang);
}
