/**
 * Tells the ingest pipeline where a push camera's video comes from: a camera that has a push
 * stream key is read from node-media-server (rtmp://127.0.0.1:<port>/push/<cameraId>) instead
 * of RTSP. Null: not a push camera (or no media server in this process), pull RTSP as usual.
 */
import type { PushKeyLookup } from './push-keys';
import { pushInputUrl, type RtmpEndpoint } from './urls';

export async function pushInputFor(keys: Pick<PushKeyLookup, 'hasKey'>, cameraId: string, endpoint: RtmpEndpoint | null): Promise<string | null> {
  if (!endpoint || !(await keys.hasKey(cameraId))) return null;
  return pushInputUrl(endpoint, cameraId);
}

/** Where the ingest ffmpeg republishes for low-latency FLV, or null when no media server runs here. */
export { liveOutputUrl } from './urls';
