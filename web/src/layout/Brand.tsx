/** The Sky Eye mark and name, on the sign-in card and in the sidebar. */
import { useTranslation } from 'react-i18next';

export function Brand({ className = 'brand' }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <div className={className}>
      <span className="brand-mark" aria-hidden="true" />
      <div>
        <div className="brand-name">{t('app.name')}</div>
        <div className="brand-sub">{t('app.subtitle')}</div>
      </div>
    </div>
  );
}
