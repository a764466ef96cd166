/** The incident's clips, evidence and exports as pure functions: live clip updates, the clip form, labels. */
import type { ClipProgressEvent } from '@common/events';
import type { Clip } from '@web/api/clips';
import type { EvidenceExport, EvidenceItem } from '@web/api/evidence';
import { windowErrors } from '@web/incidents/incidentModel';

export const VERIFY_PATH = '/incidents/verify';

/** Ended jobs: nothing will change any more. */
export const clipEnded = (c: Pick<Clip, 'status'>) => c.status === 'done' || c.status === 'failed' || c.status === 'cancelled';
export const exportEnded = (e: Pick<EvidenceExport, 'status'>) => e.status === 'done' || e.status === 'failed';

/**
 * Applies a clip:progress event to the list. `fetch`: the clip must be read again (a clip this page
 * does not know yet, or one that just ended: its hash, actual bounds and gaps come with the clip).
 */
export function applyClipEvent(clips: Clip[], e: ClipProgressEvent): { clips: Clip[]; fetch: boolean } {
  const i = clips.findIndex((c) => c.id === e.clipId);
  if (i < 0) return { clips, fetch: true };
  const old = clips[i]!;
  // A late running/queued event never takes an ended clip back.
  if (clipEnded(old) && !clipEnded(e)) return { clips, fetch: false };
  const next = [...clips];
  next[i] = { ...old, status: e.status, progress: e.progress };
  return { clips: next, fetch: clipEnded(e) && !clipEnded(old) };
}

/** Puts a clip read from the API into the list (replacing the same id, else appended). */
export function upsertClip(clips: Clip[], clip: Clip): Clip[] {
  const i = clips.findIndex((c) => c.id === clip.id);
  if (i < 0) return [...clips, clip];
  const next = [...clips];
  next[i] = clip;
  return next;
}

/** A Date as the value of <input type="datetime-local" step="1"> (local time, seconds). */
export function toLocalSeconds(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export interface ClipForm {
  cameraIds: string[];
  from: string;
  to: string;
}

/** Form errors as i18n keys by field; empty when the request can be sent. */
export function clipFormErrors(f: ClipForm): Partial<Record<keyof ClipForm, string>> {
  const e: Partial<Record<keyof ClipForm, string>> = {};
  if (!f.cameraIds.length) e.cameraIds = 'clips.v.camera';
  return Object.assign(e, windowErrors(f.from, f.to));
}

export const clipRequestOf = (f: ClipForm) => ({ cameraIds: f.cameraIds, from: new Date(Date.parse(f.from)).toISOString(), to: new Date(Date.parse(f.to)).toISOString() });

export type HoldState = 'none' | 'held' | 'until' | 'expired';

/** The legal hold on an item's footage at `now`. */
export function holdState(item: Pick<EvidenceItem, 'holdId' | 'holdExpiresAt'>, now: number): HoldState {
  if (!item.holdId) return 'none';
  if (!item.holdExpiresAt) return 'held';
  return Date.parse(item.holdExpiresAt) > now ? 'until' : 'expired';
}

/** Clips already attached (any version of any item). */
export const attachedClipIds = (items: EvidenceItem[]) => new Set(items.flatMap((i) => (i.clipId ? [i.clipId] : [])));

export function formatBytes(n: number | null): string {
  if (n === null) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** Times to the second (evidence bounds matter to the second). */
export const formatSecond = (iso: string | null) =>
  iso === null ? '—' : new Date(iso).toLocaleString([], { hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The first 12 hex digits (the whole hash goes in the title and a copyable field). */
export const shortHash = (sha: string | null) => (sha ? `${sha.slice(0, 12)}…` : '—');
