/** Header button toggling zh-CN <-> en; the label names the language it switches to. */
import { useTranslation } from 'react-i18next';
import { otherLanguage } from './language';
import { currentLanguage, setLanguage } from './index';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const next = otherLanguage(currentLanguage());
  return (
    <button type="button" className="btn btn-ghost lang-switch" data-testid="lang-switch" data-lang={currentLanguage()} aria-label={t('lang.label')} lang={next} onClick={() => setLanguage(next)}>
      {t('lang.switchTo')}
    </button>
  );
}
