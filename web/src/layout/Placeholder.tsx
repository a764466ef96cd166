/** A section that is not built yet. */
import { useTranslation } from 'react-i18next';

export function Placeholder({ titleKey }: { titleKey: string }) {
  const { t } = useTranslation();
  return (
    <section className="page placeholder" data-testid="placeholder">
      <h1>{t(titleKey)}</h1>
      <div className="placeholder-card">
        <strong>{t('placeholder.comingSoon')}</strong>
        <p>{t('placeholder.body')}</p>
      </div>
    </section>
  );
}
