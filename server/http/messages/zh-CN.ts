/**
 * zh-CN text for every English problem text the server writes. Keys are the English exactly as
 * thrown; `{0}`, `{1}`, ... stand for the values a template literal fills in (in source order), and
 * the Chinese places them where Chinese grammar wants them. A filled-in value is itself translated
 * when it is a key here (a noun, a status, a role). test/unit/http/messages.test.ts scans server/
 * and fails on any English text missing here. The catalogue itself is zh-CN.json (data, like the
 * console's web/src/i18n/*.json).
 */
import catalogue from './zh-CN.json';

export const TITLES: Readonly<Record<string, string>> = catalogue.titles;
export const TEXTS: Readonly<Record<string, string>> = catalogue.texts;
