/**
 * The app's side of the ingest core's ports (workers/ingest/ports.ts): camera specs from the
 * registry (credentials decrypted in-process) and status writes fenced by the camera's lease.
 */
import type { CamerasService } from '@server/cameras/index';
import { LeaseRepository } from '@server/leases/lease-repository';
import type { FencedStatusWrite, IngestSpecSource } from '@workers/ingest/ports';
import type { MediaServer } from '@workers/rtmp/media-server';
import { pushInputFor } from '@workers/rtmp/push-input';
import type { PushKeyLookup } from '@workers/rtmp/push-keys';
import { toIngestCameraSpec } from './specs';

export function registrySpecSource(deps: {
  cameras: Pick<CamerasService, 'getIngestSpecs'>;
  pushKeys: Pick<PushKeyLookup, 'hasKey'>;
  media: MediaServer | null;
  recordingSegmentSeconds: number;
}): IngestSpecSource {
  return {
    async specOf(cameraId) {
      const [s] = await deps.cameras.getIngestSpecs([cameraId]);
      if (!s) return 'gone';
      const media = deps.media;
      return toIngestCameraSpec(s, {
        recordingSegmentSeconds: deps.recordingSegmentSeconds,
        pushInputUrl: await pushInputFor(deps.pushKeys, cameraId, media?.rtmp ?? null),
        flvPublishUrl: media ? await media.liveOutput(cameraId) : null,
      });
    },
  };
}

/** Status writes under a lease: the camera row is locked, then the lease checked, in one transaction. */
export function fencedStatusWrite(cameras: Pick<CamerasService, 'updateStatus'>): FencedStatusWrite {
  return (cameraId, status, cause, lease, detail) =>
    cameras.updateStatus(cameraId, status, cause, lease.workerId, (tx) => LeaseRepository.holdsLocked(tx, lease.workerId, cameraId, lease.token), detail);
}
