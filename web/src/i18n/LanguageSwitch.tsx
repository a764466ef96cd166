/** Header button toggling zh-CN <-> en; it shows the language it switches to, and its accessible name includes that text. */
import { useTranslation } from 'react-i18next';
import { otherLanguage } from './language';
import { currentLanguage, setLanguage } from './index';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const next = otherLanguage(currentLanguage());
  return (
    <button type="button" className="btn btn-ghost lang-switch" data-testid="lang-switch" data-lang={currentLanguage()} aria-label={`${t('lang.label')}: ${t('lang.switchTo')}`} lang={next} onClick={() => setLanguage(next)}>
      {t('lang.switchTo')}
    </button>
  );
}
