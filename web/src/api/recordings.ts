/** Recorded timeline and playback (server/ledger, server/playback). */
import type { PlaybackUrl, Timeline } from '@common/timeline';
import { api } from './client';

const range = (from: Date, to: Date) => `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;

export const getTimeline = (cameraId: string, from: Date, to: Date, signal?: AbortSignal) =>
  api.get<Timeline>(`/api/v1/cameras/${encodeURIComponent(cameraId)}/timeline?${range(from, to)}`, { signal });

/** `incidentId`: replay as part of that incident (opens household/shopfront ranges released to it). */
export const getPlayback = (cameraId: string, from: Date, to: Date, signal?: AbortSignal, incidentId?: string) =>
  api.get<PlaybackUrl>(`/api/v1/cameras/${encodeURIComponent(cameraId)}/playback?${range(from, to)}${incidentId ? `&incident=${encodeURIComponent(incidentId)}` : ''}`, { signal });
