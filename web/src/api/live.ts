/** GET /api/v1/cameras/{id}/live: signed, short-lived playback URLs (server/live/live-service.ts). */
import { api } from './client';

export interface LiveUrls {
  /** /api/v1/live/<id>/index.m3u8?token=... */
  hls: string;
  /** /api/v1/live/<id>.flv?token=... */
  flv: string;
  /** When the token stops opening new requests (ISO time). */
  expiresAt?: string;
}

export const getLiveUrls = (cameraId: string, signal?: AbortSignal) =>
  api.get<LiveUrls>(`/api/v1/cameras/${encodeURIComponent(cameraId)}/live`, { signal });
