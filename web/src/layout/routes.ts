/** The console's sections. 'cameras' and 'live' are built; the rest render a placeholder. Pure. */
export const SECTIONS = ['live', 'cameras', 'discovery', 'incidents'] as const;
export type Section = (typeof SECTIONS)[number];
export const DEFAULT_SECTION: Section = 'cameras';

export const sectionPath = (s: Section) => `/${s}`;

/** '/cameras', '/cameras/', '/cameras/123' -> 'cameras'; anything else -> the default section. */
export function sectionOf(pathname: string): Section {
  const first = pathname.split('/').filter(Boolean)[0] ?? '';
  return (SECTIONS as readonly string[]).includes(first) ? (first as Section) : DEFAULT_SECTION;
}
