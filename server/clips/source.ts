/** ClipSource (server/incidents/ports.ts) for evidence and exports, and ClipStorage for the clip worker: both over the object store. */
import { createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClipRecord, ClipSource } from '@server/incidents/ports';
import type { ObjectStore } from '@server/storage/object-store';
import type { ClipStorage } from '@workers/clipper/ports';
import type { ClipRow, ClipsRepository } from './repository';
import { hashingPassThrough } from '@workers/uploader/verify';

const record = (r: ClipRow): ClipRecord => ({
  id: r.id,
  incidentId: r.incidentId,
  cameraId: r.cameraId,
  status: r.status,
  requestedFrom: r.requestedFrom,
  requestedTo: r.requestedTo,
  actualFrom: r.actualFrom,
  actualTo: r.actualTo,
  partial: r.partial,
  gaps: r.gaps,
  sha256: r.sha256,
  bytes: r.bytes,
});

export function clipSource(repo: Pick<ClipsRepository, 'get' | 'listByIncident'>, objects: Pick<ObjectStore, 'get'>): ClipSource {
  return {
    async get(id) {
      const r = await repo.get(id);
      return r ? record(r) : null;
    },
    async listByIncident(incidentId) {
      return (await repo.listByIncident(incidentId)).map(record);
    },
    async open(id) {
      const r = await repo.get(id);
      if (!r || r.status !== 'done' || !r.objectKey) throw new Error(`clip ${id} is not finished`);
      return objects.get(r.objectKey);
    },
  };
}

export function clipStorage(objects: Pick<ObjectStore, 'upload' | 'delete'>): ClipStorage {
  return {
    async upload(key, file, signal) {
      const counted = hashingPassThrough();
      const body = new PassThrough();
      const piping = pipeline(createReadStream(file), counted, body, { signal });
      const uploading = objects.upload(key, body as Readable, { contentType: 'video/mp4', signal }).catch((err: unknown) => {
        body.destroy(err as Error); // stops reading the file
        throw err;
      });
      await Promise.all([uploading, piping]);
      return counted.result();
    },
    delete: (key) => objects.delete(key),
  };
}
