/**
 * Test stand-ins for the incidents' and clips' ports (the real ones are built in parallel):
 * staff may do anything with any incident id, merchants see none; clips are real MP4 files made
 * with ffmpeg (lavfi testsrc) and stored in the real embedded S3 server.
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { AuthUser } from '@server/auth/types';
import { notFound } from '@server/http/problem';
import type { ClipRecord, ClipSource, IncidentAccess, IncidentRef } from '@server/incidents/ports';
import type { ObjectStore } from '@server/storage/object-store';

export const testIncidentAccess: IncidentAccess = {
  async require(user: AuthUser, incidentId: string): Promise<IncidentRef> {
    if (user.role === 'merchant') throw notFound('Incident');
    return { id: incidentId, number: `测试所-2026-${incidentId.slice(0, 5)}`, stationId: null, title: `incident ${incidentId}`, from: new Date(0), to: new Date(), location: { lat: 34.09, lon: 119.35 } };
  },
};

/** Makes a real MP4 (H.264, faststart) of `seconds` with ffmpeg; waits for it to exit. */
export async function makeMp4(file: string, seconds = 3): Promise<void> {
  const child = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=duration=${seconds}:size=320x240:rate=25`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-y', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`ffmpeg exited ${code}: ${err}`);
}

/** Clips over objects in a real object store; `store` is set once the server (and its store) is up. */
export class TestClipSource implements ClipSource {
  store: ObjectStore | null = null;
  private readonly clips = new Map<string, ClipRecord & { key: string }>();

  /** Puts an MP4 file into the store as a finished clip of `incidentId`. */
  async add(file: string, c: { incidentId: string; cameraId: string; from: Date; to: Date; partial?: boolean; gaps?: ClipRecord['gaps'] }): Promise<ClipRecord> {
    const body = await readFile(file);
    const id = randomUUID();
    const key = `clips/${id}.mp4`;
    await this.store!.put(key, body, 'video/mp4');
    const rec: ClipRecord & { key: string } = {
      id, incidentId: c.incidentId, cameraId: c.cameraId, status: 'done', requestedFrom: c.from, requestedTo: c.to, actualFrom: c.from, actualTo: c.to,
      partial: c.partial ?? false, gaps: c.gaps ?? [], sha256: createHash('sha256').update(body).digest('hex'), bytes: body.length, key,
    };
    this.clips.set(id, rec);
    return rec;
  }

  addUnfinished(incidentId: string, cameraId: string): ClipRecord {
    const id = randomUUID();
    const rec = { id, incidentId, cameraId, status: 'running' as const, requestedFrom: new Date(0), requestedTo: new Date(1000), actualFrom: null, actualTo: null, partial: false, gaps: [], sha256: null, bytes: null, key: '' };
    this.clips.set(id, rec);
    return rec;
  }

  async get(clipId: string): Promise<ClipRecord | null> {
    return this.clips.get(clipId) ?? null;
  }

  async listByIncident(incidentId: string): Promise<ClipRecord[]> {
    return [...this.clips.values()].filter((c) => c.incidentId === incidentId);
  }

  async open(clipId: string): Promise<Readable> {
    const c = this.clips.get(clipId);
    if (!c) throw new Error(`no clip ${clipId}`);
    return this.store!.get(c.key);
  }
}

/** Polls `fn` every 200 ms until it gives a value, or fails naming what it waited for. */
export async function poll<T>(what: string, timeoutMs: number, fn: () => Promise<T | null>): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
