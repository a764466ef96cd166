/**
 * Wires the on-demand sub streams (workers/substream) of this ingest runtime into the media
 * server it runs: the camera's sub-stream URL and credentials come from the ingest spec of a
 * camera this worker holds (so only the lease holder pulls it), credentials through the
 * runtime's RTSP auth proxy. Without a media server in this process there are none.
 */
import type { Log } from '@common/log';
import { spawnRunner } from '@workers/ffmpeg/process';
import { detectFfmpeg, resolveFfmpegPath } from '@workers/ffmpeg/version';
import type { IngestCameraSpec } from '@workers/ingest/spec';
import type { MediaServer } from '@workers/rtmp/media-server';
import { SUB_APP } from '@workers/rtmp/urls';
import type { RtspAuthProxy } from '@workers/rtsp-auth-proxy/proxy';
import { createSubStreams, type SubStreams } from '@workers/substream/on-demand';

export function attachSubStreams(media: MediaServer | null, d: { specOf(cameraId: string): IngestCameraSpec | null; proxy: RtspAuthProxy; graceMs: number; log: Log }): SubStreams | null {
  if (!media) return null;
  const ffmpegPath = resolveFfmpegPath();
  const subs = createSubStreams({
    specOf(cameraId) {
      const s = d.specOf(cameraId);
      if (!s?.rtspSubUrl || s.enabled === false) return null;
      return { rtspSubUrl: s.rtspSubUrl, transport: s.transport, credentials: s.credentials, allowBasicAuth: s.allowBasicAuth, liveVideo: s.liveVideo };
    },
    outputUrl: (cameraId) => media.subOutput(cameraId),
    viewers: (cameraId) => media.playerCount(SUB_APP, cameraId),
    endViewers: (cameraId) => media.endPlayers(SUB_APP, cameraId),
    runner: spawnRunner,
    ffmpegPath,
    capabilities: () => detectFfmpeg(ffmpegPath),
    proxy: d.proxy,
    graceMs: d.graceMs,
    log: d.log,
  });
  media.setSubDemand(subs);
  return {
    ...subs,
    async close() {
      media.setSubDemand(null);
      await subs.close();
    },
  };
}
