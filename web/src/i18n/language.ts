/** Language choice: zh-CN by default, the user's pick persisted in localStorage. Pure helpers. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';
export const LANGUAGE_STORAGE_KEY = 'skyeye.lang';

export function normaliseLanguage(value: string | null | undefined): Language {
  if (!value) return DEFAULT_LANGUAGE;
  const v = value.toLowerCase();
  if (v === 'en' || v.startsWith('en-')) return 'en';
  return DEFAULT_LANGUAGE;
}

export const otherLanguage = (lang: Language): Language => (lang === 'en' ? 'zh-CN' : 'en');

/** Org units carry a Chinese name and an English one; fall back to the Chinese when nameEn is blank. */
export function localName(unit: { name: string; nameEn?: string | null } | undefined, lang: string): string {
  if (!unit) return '';
  return normaliseLanguage(lang) === 'en' && unit.nameEn ? unit.nameEn : unit.name;
}
