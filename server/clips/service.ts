/**
 * Clip rules: who may cut, see, cancel and download a clip (per incident, through IncidentAccess;
 * the cameras through the registry's visibility), the window's limits, and the custody entry every
 * download writes. Jobs go to the durable queue (ClipsRepository); workers do the cutting.
 */
import type { Readable } from 'node:stream';
import type { Clock } from '@common/clock';
import type { AuthUser } from '@server/auth/types';
import { conflict, HttpError, notFound, unprocessable, type FieldError } from '@server/http/problem';
import type { CustodyLog, FootageGate, IncidentAccess } from '@server/incidents/ports';
import type { SeeCamera } from '@server/ledger/routes';
import type { ObjectStore } from '@server/storage/object-store';
import type { ClipRow, ClipsRepository } from './repository';

export interface ClipsServiceDeps {
  repo: ClipsRepository;
  access: IncidentAccess;
  custody: CustodyLog;
  see: SeeCamera;
  /** The owner's sharing choice for household and shopfront cameras. */
  footage: Pick<FootageGate, 'check'>;
  objects: Pick<ObjectStore, 'getRange'>;
  clock: Clock;
  maxLengthMs: number;
  maxCameras: number;
  /** New jobs are queued (wake this process's clip worker, if it runs one). */
  queued(): void;
}

export interface ClipRequest {
  cameraIds: string[];
  /** The field the cameras came in (`cameraId` or `cameraIds`), for error messages. */
  field: 'cameraId' | 'cameraIds';
  from: Date;
  to: Date;
}

export interface DownloadMeta {
  address: string | null;
  requestId: string | null;
}

export interface ClipDownload {
  clip: ClipRow;
  stream: Readable;
  start: number;
  end: number;
}

export class ClipsService {
  constructor(private readonly d: ClipsServiceDeps) {}

  async create(user: AuthUser, incidentId: string, r: ClipRequest): Promise<string[]> {
    await this.d.access.require(user, incidentId, 'edit');
    const errors: FieldError[] = [];
    const span = r.to.getTime() - r.from.getTime();
    if (span <= 0) errors.push({ field: 'to', message: 'must be after from' });
    else if (span > this.d.maxLengthMs) errors.push({ field: 'to', message: `a clip may be at most ${Math.round(this.d.maxLengthMs / 60_000)} minutes long` });
    if (r.from.getTime() >= this.d.clock.now().getTime()) errors.push({ field: 'from', message: 'must be in the past' });
    if (r.cameraIds.length > this.d.maxCameras) errors.push({ field: r.field, message: `at most ${this.d.maxCameras} cameras in one request` });
    const seen = new Set<string>();
    for (const [i, id] of r.cameraIds.entries()) {
      const field = r.field === 'cameraId' ? 'cameraId' : `cameraIds.${i}`;
      if (seen.has(id)) errors.push({ field, message: 'the same camera twice' });
      seen.add(id);
      const visible = await this.d.see(user, id).then(
        () => true,
        (e: unknown) => {
          if (e instanceof HttpError && e.status === 404) return false;
          throw e;
        },
      );
      if (!visible) {
        errors.push({ field, message: 'no such camera, or you may not see it' });
        continue;
      }
      const shared = await this.d.footage.check(incidentId, id, r.from, r.to);
      if (!shared.allowed) errors.push({ field, message: shared.reason ?? 'the owner has not released this range' });
    }
    if (errors.length) throw unprocessable('The clip request is not valid; see errors.', errors);
    const ids = await this.d.repo.createMany(r.cameraIds.map((cameraId) => ({ incidentId, cameraId, requestedBy: user.id, from: r.from, to: r.to })));
    this.d.queued();
    return ids;
  }

  /** The clip, when the user may see its incident; 404 otherwise. */
  async get(user: AuthUser, id: string, action: 'view' | 'edit' = 'view'): Promise<ClipRow> {
    const clip = await this.d.repo.get(id);
    if (!clip) throw notFound('Clip');
    await this.d.access.require(user, clip.incidentId, action);
    return clip;
  }

  /** Every clip job of an incident, oldest first (`view`). */
  async listByIncident(user: AuthUser, incidentId: string): Promise<ClipRow[]> {
    const incident = await this.d.access.require(user, incidentId, 'view');
    return this.d.repo.listByIncident(incident.id);
  }

  async cancel(user: AuthUser, id: string): Promise<ClipRow> {
    const clip = await this.get(user, id, 'edit');
    const cancelled = await this.d.repo.cancel(clip.id);
    if (!cancelled) throw conflict(`The clip has already ended (${clip.status}).`, { status: clip.status });
    return cancelled;
  }

  /** Bytes [start, end) of a finished clip (all of it without a range); writes the custody entry first. */
  async download(user: AuthUser, id: string, range: { start: number; end: number } | null, meta: DownloadMeta): Promise<ClipDownload> {
    const clip = await this.get(user, id);
    if (clip.status !== 'done' || !clip.objectKey || clip.bytes === null) throw conflict(`The clip is not ready (${clip.status}).`, { status: clip.status });
    const { start, end } = range ?? { start: 0, end: clip.bytes };
    await this.d.custody.record({ incidentId: clip.incidentId, action: 'download', itemKind: 'clip', itemId: clip.id, sha256: clip.sha256, userId: user.id, address: meta.address, requestId: meta.requestId });
    return { clip, stream: await this.d.objects.getRange(clip.objectKey, start, end), start, end };
  }
}
