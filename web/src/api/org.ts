/** /api/v1/org: stations, police rooms, patrol areas/zones, grids for selects. */
import { api } from './client';
import type { Org } from './types';

export const getOrg = (signal?: AbortSignal) => api.get<Org>('/api/v1/org', { signal });

export const EMPTY_ORG: Org = { stations: [], policeRooms: [], patrolAreas: [], patrolZones: [], grids: [] };
