/** GET /api/v1/cameras/{id}/live: signed, short-lived playback URLs (server/live/live-service.ts). */
import { api } from './client';

export interface LiveUrls {
  /** /api/v1/live/<id>/index.m3u8?token=... */
  hls: string;
  /** /api/v1/live/<id>.flv?token=... */
  flv: string;
  /** Only for a camera with a sub stream: /api/v1/live/<id>/sub.flv?token=... (pulled on demand). */
  sub?: { flv: string };
  /** When the token stops opening new requests (ISO time). */
  expiresAt: string;
}

export const getLiveUrls = (cameraId: string, signal?: AbortSignal) =>
  api.get<LiveUrls>(`/api/v1/cameras/${encodeURIComponent(cameraId)}/live`, { signal });

/**
 * POST /api/v1/live/streams/{streamId}/renew: keeps the open FLV stream `streamId` (the id the
 * player put on its URL) open until the fresh token's expiry. The token goes in the body, never
 * in a URL. 401 here means the token, not the sign-in, was refused: no sign-out prompt.
 */
export const renewLiveStream = (streamId: string, token: string, signal?: AbortSignal) =>
  api.post<{ expiresAt: string }>(`/api/v1/live/streams/${encodeURIComponent(streamId)}/renew`, { token }, { signal, quiet401: true });
