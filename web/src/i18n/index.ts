/** i18next set-up: every visible string comes from zh-CN.json / en.json. */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setRequestLanguage } from '@web/api/client';
import en from './en.json';
import zhCN from './zh-CN.json';
import { DEFAULT_LANGUAGE, LANGUAGE_STORAGE_KEY, normaliseLanguage, type Language } from './language';

function storedLanguage(): Language {
  try {
    return normaliseLanguage(localStorage.getItem(LANGUAGE_STORAGE_KEY));
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

export function setLanguage(lang: Language): void {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, lang);
  } catch {
    /* private mode: the choice lasts for this page only */
  }
  void i18n.changeLanguage(lang);
}

export function currentLanguage(): Language {
  return normaliseLanguage(i18n.resolvedLanguage ?? i18n.language);
}

i18n.on('languageChanged', (lng) => {
  setRequestLanguage(normaliseLanguage(lng));
  document.documentElement.lang = normaliseLanguage(lng);
  document.title = i18n.t('app.name') + (normaliseLanguage(lng) === 'en' ? '' : ' Sky Eye');
});

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: ['zh-CN', 'en'],
  interpolation: { escapeValue: false },
});

export default i18n;
