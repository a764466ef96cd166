/** The console's sections. Pure. */
import type { Role } from '@common/domain';

export const SECTIONS = ['live', 'map', 'cameras', 'discovery', 'incidents', 'alarms', 'requests', 'admin'] as const;
export type Section = (typeof SECTIONS)[number];
export const DEFAULT_SECTION: Section = 'cameras';

/**
 * The sections a role sees in the navigation: merchants have no discovery and never see incidents;
 * footage requests are answered by camera owners (merchants) and seen by administrators;
 * administration (users, audit log, health) is for administrators only.
 */
export const sectionsFor = (role: Role): Section[] =>
  SECTIONS.filter((s) =>
    s === 'admin' ? role === 'admin' : s === 'requests' ? role === 'merchant' || role === 'admin' : role !== 'merchant' || (s !== 'discovery' && s !== 'incidents'),
  );

export const sectionPath = (s: Section) => `/${s}`;

/** '/cameras', '/cameras/', '/cameras/123' -> 'cameras'; anything else -> the default section. */
export function sectionOf(pathname: string): Section {
  const first = pathname.split('/').filter(Boolean)[0] ?? '';
  return (SECTIONS as readonly string[]).includes(first) ? (first as Section) : DEFAULT_SECTION;
}
