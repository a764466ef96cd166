/** A form's error banner: heading, detail, fields the form could not place, request id, and optional actions. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorNotice } from './errors';

export interface BannerContent extends ErrorNotice {
  /** Field errors the form could not show next to a field. */
  other?: Array<{ field: string; message: string }>;
}

interface Props {
  banner: BannerContent;
  testId: string;
  warn?: boolean;
  attrs?: Record<`data-${string}`, string | undefined>;
  children?: ReactNode;
}

export function ErrorBanner({ banner, testId, warn, attrs, children }: Props) {
  const { t } = useTranslation();
  return (
    <div className={`banner ${warn ? 'banner-warn' : 'banner-error'}`} role="alert" data-testid={testId} {...attrs}>
      <strong>{banner.heading}</strong>
      {banner.detail && <span>{banner.detail}</span>}
      {banner.other && banner.other.length > 0 && (
        <ul>
          {banner.other.map((o, i) => (
            <li key={i}>
              <code>{o.field}</code> {o.message}
            </li>
          ))}
        </ul>
      )}
      {banner.requestId && <small>{t('common.requestId', { id: banner.requestId })}</small>}
      {children}
    </div>
  );
}
