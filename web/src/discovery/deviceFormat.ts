/** How a discovered device's details read in the table: changes, clock offset, PTZ. Pure. */
import type { DiscoveredDeviceView } from '@common/discovery';

export interface ChangeFlag {
  field: string;
  /** i18n key of the label ("New IP", "New firmware", ...). */
  key: string;
  from: string | null;
  to: string | null;
}

const CHANGE_ORDER = ['address', 'firmware', 'rtspUrl', 'rtspSubUrl'];
const CHANGE_KEYS: Record<string, string> = {
  address: 'discovery.change.address',
  firmware: 'discovery.change.firmware',
  rtspUrl: 'discovery.change.rtspUrl',
  rtspSubUrl: 'discovery.change.rtspSubUrl',
};

/** The device's changes since it was last seen, known fields first. */
export function changeFlags(d: Pick<DiscoveredDeviceView, 'changes'>): ChangeFlag[] {
  const rank = (f: string) => (CHANGE_ORDER.includes(f) ? CHANGE_ORDER.indexOf(f) : CHANGE_ORDER.length);
  return Object.entries(d.changes ?? {})
    .map(([field, c]) => ({ field, key: CHANGE_KEYS[field] ?? 'discovery.change.other', from: c?.from ?? null, to: c?.to ?? null }))
    .sort((a, b) => rank(a.field) - rank(b.field) || a.field.localeCompare(b.field));
}

/** Beyond this the device clock is flagged (recordings and evidence timestamps rely on it). */
export const CLOCK_SKEW_WARN_MS = 5_000;

/** "+350 ms", "−2.5 s", "+3 min"; null -> null. */
export function formatOffset(ms: number | null): string | null {
  if (ms === null || !Number.isFinite(ms)) return null;
  const sign = ms < 0 ? '−' : '+';
  const a = Math.abs(ms);
  if (a < 1000) return `${sign}${Math.round(a)} ms`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(a < 10_000 ? 1 : 0)} s`;
  if (a < 3_600_000) return `${sign}${Math.round(a / 60_000)} min`;
  return `${sign}${(a / 3_600_000).toFixed(1)} h`;
}

export const clockSkewed = (ms: number | null): boolean => ms !== null && Math.abs(ms) > CLOCK_SKEW_WARN_MS;

/** i18n key for the PTZ cell. */
export const ptzKey = (hasPtz: boolean | null): string => (hasPtz === null ? 'discovery.ptz.unknown' : hasPtz ? 'discovery.ptz.yes' : 'discovery.ptz.no');
