/**
 * A status cause in the console's language: the server sends stable English phrases
 * (common/causes.ts); each has an i18n key `cause.<code>`. A phrase not in the list (written
 * by an older version) is shown as it is.
 */
import type { TFunction } from 'i18next';
import { causeCode } from '@common/causes';

export function causeText(t: TFunction, cause: string | null | undefined): string | null {
  if (!cause) return null;
  const code = causeCode(cause);
  return code ? t(`cause.${code}`) : cause;
}
