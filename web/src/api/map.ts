/** What the map reads: its tile settings and every camera the user may see (all pages). */
import type { CoordSystem } from '@common/domain';
import { api } from './client';
import type { Camera, CameraPage } from './types';

export interface MapSettings {
  /** Tile URL template ({z}/{x}/{y}); null: no tile server, the map draws its own base layer. */
  tileUrl: string | null;
  tileAttribution: string;
  /** The tiles' coordinate system: gcj02 (Chinese providers) shifts positions onto them (map/projection.ts). */
  tileCoords: CoordSystem;
}

export const getMapSettings = (signal?: AbortSignal) => api.get<MapSettings>('/api/v1/map/settings', { signal });

/** The most cameras one map holds (20 pages of 500). */
const MAX_PAGES = 20;

/** Every camera the user may see, optionally within `radius` metres of a point (nearest first) or inside a bbox (minLon,minLat,maxLon,maxLat). */
export async function listMapCameras(signal?: AbortSignal, near?: { lat: number; lon: number; radius: number } | { bbox: string }): Promise<Camera[]> {
  const out: Camera[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page: CameraPage = await api.get<CameraPage>('/api/v1/cameras', { query: { limit: 500, cursor: cursor ?? undefined, ...(near ?? {}) }, signal });
    out.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return out;
}
