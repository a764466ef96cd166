/** Pure mapping from the registry's ingest spec to what one ingest supervisor runs. */
import type { IngestCameraSpec } from '@workers/ingest/spec';
import type { IngestSpec } from '@server/cameras/index';

export interface SpecContext {
  recordingSegmentSeconds: number;
  /** rtmp://127.0.0.1:<port>/push/<id> when the camera pushes RTMP (has a push key), else null. */
  pushInputUrl: string | null;
  /** rtmp://127.0.0.1:<port>/live/<id> for the FLV republish, null when no media server runs here. */
  flvPublishUrl: string | null;
}

/** null: nothing to pull and nothing pushed (no RTSP URL, no push key). */
export function toIngestCameraSpec(s: IngestSpec, c: SpecContext): IngestCameraSpec | null {
  if (!c.pushInputUrl && !s.rtspUrl) return null;
  return {
    id: s.id,
    rtspUrl: s.rtspUrl ?? '',
    transport: s.transport,
    ...(s.liveVideo === 'h264' ? { liveVideo: 'h264' as const } : {}),
    credentials: s.credentials ?? undefined,
    ...(s.allowBasicAuth ? { allowBasicAuth: true } : {}),
    recording: { mode: s.recording.mode, segmentSeconds: c.recordingSegmentSeconds },
    ...(c.flvPublishUrl ? { flvPublishUrl: c.flvPublishUrl } : {}),
    ...(c.pushInputUrl ? { pushInputUrl: c.pushInputUrl } : {}),
    ...(!c.pushInputUrl && s.rtspSubUrl ? { rtspSubUrl: s.rtspSubUrl } : {}),
  };
}
