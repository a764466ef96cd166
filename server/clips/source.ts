/** ClipSource (server/incidents/ports.ts) for evidence and exports, and ClipStorage for the clip worker: both over the object store. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClipRecord, ClipSource } from '@server/incidents/ports';
import type { ObjectStore } from '@server/storage/object-store';
import type { ClipStorage } from '@workers/clipper/ports';
import type { ClipRow, ClipsRepository } from './repository';
import { sha256File } from '@workers/recorder/validate';
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

/**
 * The finished clip is a local file of known size: up to `singlePutLimit` it is hashed, then sent in
 * one PUT carrying that SHA-256 (the store refuses a body that differs); larger, as a multipart
 * upload with a SHA-256 per part, the whole hashed on the way. One PUT is also the fast way into
 * the embedded store, which assembles multipart objects by copying every part once more.
 */
export function clipStorage(objects: Pick<ObjectStore, 'putFile' | 'upload' | 'delete'>, singlePutLimit: number): ClipStorage {
  return {
    async upload(key, file, signal) {
      const { size } = await stat(file);
      if (size <= singlePutLimit) {
        const sha256 = await sha256File(file);
        await objects.putFile(key, file, { bytes: size, sha256, contentType: 'video/mp4', signal });
        return { sha256, bytes: size };
      }
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
