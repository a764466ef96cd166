/** /api/v1/walls: saved walls (server/walls), and the camera groups a wall is filled from. */
import { api, request } from './client';
import type { CameraPage } from './types';

export type WallModeApi = 'll' | 'hls';

export interface SavedWall {
  id: string;
  name: string;
  layout: number;
  mode: WallModeApi;
  /** Camera id per tile; null: empty (or a camera this user may not see). */
  cameras: (string | null)[];
  shared: boolean;
  stationId: string | null;
  owner: { id: string; name: string };
  mine: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface SavedWallInput {
  name: string;
  layout: number;
  mode: WallModeApi;
  cameras: (string | null)[];
  shared: boolean;
  stationId: string | null;
}

const BASE = '/api/v1/walls';

export const listWalls = (signal?: AbortSignal) => api.get<{ items: SavedWall[] }>(BASE, { signal });
export const createWall = (input: SavedWallInput) => api.post<SavedWall>(BASE, input);
export const updateWall = (id: string, input: SavedWallInput & { version: number }) =>
  request<SavedWall>('PUT', `${BASE}/${encodeURIComponent(id)}`, { json: input });
export const deleteWall = (id: string) => api.del(`${BASE}/${encodeURIComponent(id)}`);

/** A group the wall is filled from in one action. */
export type CameraGroup = { by: 'station' | 'zone' | 'grid'; id: string } | { by: 'tag'; tag: string };

/** Approved cameras of a group that this user may see, at most 25 (the largest wall). */
export async function camerasOfGroup(group: CameraGroup, signal?: AbortSignal): Promise<string[]> {
  const filter = group.by === 'tag' ? { tag: group.tag } : { [group.by === 'station' ? 'stationId' : group.by === 'zone' ? 'zoneId' : 'gridId']: group.id };
  const page = await api.get<CameraPage>('/api/v1/cameras', { query: { ...filter, enrollment: 'approved', limit: 25 }, signal });
  return page.items.map((c) => c.id);
}
