/**
 * The incident tests' world: cameras placed by hand at known distances from a point (through the
 * registry API), backdated so the ledger judges the past, and recorded segments indexed through
 * the real recordings repository (rows only: the ledger reads the index, not the files).
 */
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { RecordingsRepository } from '@server/recordings/repository';
import { recordingObjectKey } from '@workers/store/layout';
import { formatSegmentStamp } from '@workers/store/paths';
import type { Client, World } from '@test/helpers/api';

/** The demo town's centre (WGS-84). */
export const CENTRE = { lat: 34.09, lon: 119.35 };
const M_PER_DEG_LAT = 111_194.93;

/** A point `metres` due north of CENTRE. */
export const north = (metres: number) => ({ lat: CENTRE.lat + metres / M_PER_DEG_LAT, lon: CENTRE.lon });

let octet = 10;

/** Registers an approved road camera `metres` north of CENTRE, created a day ago (so the ledger judges the past). */
export async function placeCamera(w: World, name: string, metres: number, stationId: string | null = null): Promise<string> {
  const r = await w.as.admin.json('POST', '/api/v1/cameras', {
    name,
    kind: 'road',
    location: north(metres),
    rtspUrl: `rtsp://127.0.0.${octet++}:554/stream`,
    stationId,
    enrollmentState: 'approved',
  });
  expect(r.status, JSON.stringify(r.body)).to.equal(201);
  await w.srv.ctx.database.query(`UPDATE cameras SET created_at = now() - interval '1 day' WHERE id = $1`, [r.body.id]);
  return r.body.id as string;
}

/** Indexes segments of `segMs` covering [from, to) of a camera. */
export async function record(w: World, cameraId: string, from: number, to: number, segMs = 10 * 60_000): Promise<void> {
  const repo = new RecordingsRepository(w.srv.ctx.database);
  for (let t = from; t < to; t += segMs) {
    const start = new Date(t);
    const end = new Date(Math.min(to, t + segMs));
    const sha256 = createHash('sha256').update(`${cameraId}@${t}`).digest('hex');
    const added = await repo.add(
      {
        cameraId,
        cacheKey: `${cameraId}/${formatSegmentStamp(start)}.mp4`,
        objectKey: recordingObjectKey(cameraId, start),
        start,
        end,
        bytes: 1000,
        sha256,
        durationMs: end.getTime() - start.getTime(),
        frames: 100,
        codec: 'h264',
        width: 640,
        height: 360,
        flags: [],
      },
      { workerId: 'test', token: null, node: 'test-node' },
    );
    expect(added).to.equal('inserted');
  }
}

export interface IncidentBody {
  title?: string;
  category?: string;
  location?: { lat: number; lon: number; address?: string };
  radius?: number;
  from?: string;
  to?: string;
  stationId?: string | null;
  description?: string;
}

export function incidentBody(o: IncidentBody = {}): IncidentBody {
  const now = Date.now();
  return {
    title: '商业街盗窃',
    category: 'theft',
    location: { ...CENTRE },
    radius: 500,
    from: new Date(now - 2 * 3_600_000).toISOString(),
    to: new Date(now - 3_600_000).toISOString(),
    ...o,
  };
}

export async function createIncident(as: Client, o: IncidentBody = {}): Promise<string> {
  const r = await as.json('POST', '/api/v1/incidents', incidentBody(o));
  expect(r.status, JSON.stringify(r.body)).to.equal(201);
  return r.body.id as string;
}

/** Puts a user in a station (admin API). */
export async function setStation(w: World, userId: string, stationId: string | null): Promise<void> {
  const r = await w.as.admin.json('PUT', `/api/v1/users/${userId}/station`, { stationId });
  expect(r.status, JSON.stringify(r.body)).to.equal(200);
}
