/** The console's sections. 'cameras', 'live' and 'discovery' are built; the rest render a placeholder. Pure. */
import type { Role } from '@common/domain';

export const SECTIONS = ['live', 'cameras', 'discovery', 'incidents'] as const;
export type Section = (typeof SECTIONS)[number];
export const DEFAULT_SECTION: Section = 'cameras';

/** The sections a role sees in the navigation (merchants have no discovery). */
export const sectionsFor = (role: Role): Section[] => SECTIONS.filter((s) => s !== 'discovery' || role !== 'merchant');

export const sectionPath = (s: Section) => `/${s}`;

/** '/cameras', '/cameras/', '/cameras/123' -> 'cameras'; anything else -> the default section. */
export function sectionOf(pathname: string): Section {
  const first = pathname.split('/').filter(Boolean)[0] ?? '';
  return (SECTIONS as readonly string[]).includes(first) ? (first as Section) : DEFAULT_SECTION;
}
