/** clip:progress payloads checked before the console trusts them. Pure. */
import type { ClipProgressEvent } from '@common/events';

const STATUSES: readonly string[] = ['queued', 'running', 'done', 'failed', 'cancelled'];

export function toClipEvent(payload: unknown): ClipProgressEvent | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  if (typeof p.clipId !== 'string' || typeof p.incidentId !== 'string' || typeof p.cameraId !== 'string') return null;
  if (typeof p.status !== 'string' || !STATUSES.includes(p.status) || typeof p.progress !== 'number' || !Number.isFinite(p.progress)) return null;
  return { clipId: p.clipId, incidentId: p.incidentId, cameraId: p.cameraId, status: p.status as ClipProgressEvent['status'], progress: Math.min(1, Math.max(0, p.progress)) };
}
