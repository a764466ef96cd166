/**
 * What to tell the user about a failed call: a translated heading plus the server's title/detail,
 * which the server writes in the console's language (client.ts sends it as Accept-Language).
 */
import type { TFunction } from 'i18next';
import { isApiError } from '@web/api/problem';

export interface ErrorNotice {
  heading: string;
  detail?: string;
  requestId?: string;
}

export function describeError(e: unknown, t: TFunction): ErrorNotice {
  if (!isApiError(e)) return { heading: t('error.generic'), detail: e instanceof Error ? e.message : undefined };
  const serverText = [e.title, e.detail].filter((s, i, a) => s && a.indexOf(s) === i).join(' — ');
  const heading =
    e.status === 0
      ? t('error.network')
      : e.status === 403
        ? t('error.forbidden')
        : e.status === 404
          ? t('error.notFound')
          : e.status >= 500
            ? t('error.server')
            : t('error.generic');
  return { heading, detail: serverText || undefined, requestId: e.requestId || undefined };
}
