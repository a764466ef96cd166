/**
 * "Cameras that may have seen it": the registry's radius search around the incident's location
 * (nearest first, the caller's visibility), plus the cameras added by hand wherever they are; each
 * with its recorded spans and gaps inside the incident's window from the continuity ledger.
 */
import type { Timeline } from '@common/timeline';
import type { IncidentCamera, IncidentCameraList } from '@common/incidents';
import type { AuthUser } from '@server/auth/types';
import { haversineMeters } from '@server/geo/distance';

/** A camera as the incident view needs it. */
export interface CameraFacts {
  id: string;
  name: string;
  kind: string;
  status: string;
  lat: number;
  lon: number;
  address: string | null;
  stationId: string | null;
}

/** The camera registry, seen from incidents (server/incidents/index.ts adapts CamerasService). */
export interface CameraDirectory {
  /** Cameras `user` may see within `radius` metres of the point, nearest first, at most `limit`. */
  near(user: AuthUser, lat: number, lon: number, radius: number, limit: number): Promise<CameraFacts[]>;
  /** The camera when `user` may see it, else null. */
  find(user: AuthUser, id: string): Promise<CameraFacts | null>;
}

/** The continuity ledger, seen from incidents (LedgerService.timeline). */
export interface TimelineSource {
  timeline(cameraId: string, from: Date, to: Date): Promise<Timeline | null>;
}

export interface IncidentWhere {
  lat: number;
  lon: number;
  radius: number;
  from: Date;
  to: Date;
}

const EMPTY: Timeline = { spans: [], gaps: [] };
const ms = (a: string, b: string) => Date.parse(b) - Date.parse(a);

/** Recorded share of the judged window (spans + real gaps; the segment being written is no loss). */
export function coverageOf(t: Timeline): { coverage: number | null; recordedMs: number } {
  const recordedMs = t.spans.reduce((n, s) => n + ms(s.from, s.to), 0);
  const missing = t.gaps.filter((g) => g.cause !== 'in_progress').reduce((n, g) => n + ms(g.from, g.to), 0);
  const total = recordedMs + missing;
  return { coverage: total > 0 ? Math.round((recordedMs / total) * 10_000) / 10_000 : null, recordedMs };
}

/** Runs `fn` over `items` with at most `n` at once, keeping order. */
async function mapLimited<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

export class IncidentCameraFinder {
  constructor(
    private readonly cameras: CameraDirectory,
    private readonly ledger: TimelineSource,
    private readonly maxCameras: number,
  ) {}

  async list(user: AuthUser, where: IncidentWhere, manualIds: string[]): Promise<IncidentCameraList> {
    const near = await this.cameras.near(user, where.lat, where.lon, where.radius, this.maxCameras);
    const byId = new Map(near.map((c) => [c.id, c]));
    const manual = new Set<string>();
    for (const id of manualIds) {
      manual.add(id);
      if (byId.has(id)) continue;
      const cam = await this.cameras.find(user, id);
      if (cam) byId.set(id, cam);
    }
    const items = await mapLimited([...byId.values()], 4, async (c): Promise<IncidentCamera> => {
      const distance = haversineMeters(where.lat, where.lon, c.lat, c.lon);
      const timeline = (await this.ledger.timeline(c.id, where.from, where.to)) ?? EMPTY;
      const { coverage, recordedMs } = coverageOf(timeline);
      return {
        cameraId: c.id,
        name: c.name,
        kind: c.kind,
        status: c.status,
        lat: c.lat,
        lon: c.lon,
        address: c.address,
        distance: Math.round(distance * 10) / 10,
        inRadius: distance <= where.radius,
        manual: manual.has(c.id),
        coverage,
        recordedSeconds: Math.round(recordedMs / 1000),
        timeline,
      };
    });
    items.sort((a, b) => a.distance - b.distance || a.cameraId.localeCompare(b.cameraId));
    return { from: where.from.toISOString(), to: where.to.toISOString(), radius: where.radius, items };
  }

  /** The station of the nearest camera in the radius that has one (a default for new incidents). */
  async nearestStation(user: AuthUser, where: Pick<IncidentWhere, 'lat' | 'lon' | 'radius'>): Promise<string | null> {
    const near = await this.cameras.near(user, where.lat, where.lon, where.radius, 20);
    return near.find((c) => c.stationId)?.stationId ?? null;
  }

  findCamera(user: AuthUser, id: string): Promise<CameraFacts | null> {
    return this.cameras.find(user, id);
  }
}
