/**
 * What the ingest core needs from the app, declared here and implemented in server/ (the core
 * never imports the app): where camera specs come from and how a status is written under a
 * lease. Leases: workers/leases/lease-store.ts; push keys: workers/rtmp/push-keys.ts; segments:
 * workers/recorder/sink.ts.
 */
import type { CameraStatus } from '@common/domain';
import type { IngestCameraSpec } from './spec';

export interface IngestSpecSource {
  /**
   * The spec to run for a held camera: null when there is nothing to ingest (no RTSP URL, no
   * push key), 'gone' when the camera is deleted or no longer approved.
   */
  specOf(cameraId: string): Promise<IngestCameraSpec | null | 'gone'>;
}

/**
 * Writes a camera status only while `lease` is held, checked in the same transaction as the
 * write (so a takeover cannot slip in between); false when fenced or unchanged.
 */
export type FencedStatusWrite = (cameraId: string, status: CameraStatus, cause: string | null, lease: { workerId: string; token: number }, detail?: string | null) => Promise<boolean>;
