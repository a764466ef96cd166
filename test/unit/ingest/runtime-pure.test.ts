import { expect } from 'chai';
import { Backoff } from '@workers/ingest/backoff';
import { buildIngestArgs } from '@workers/ffmpeg/args';
import { createIngestStore } from '@workers/store/paths';
import { loopPublishArgs } from '@sim/media/ffmpeg-args';
import { toIngestCameraSpec } from '@server/ingest/specs';
import { backoffFor } from '@server/ingest/index';
import type { IngestSpec } from '@server/cameras/index';

const caps = { major: 5, rtspTimeoutOption: '-timeout' as const };
const hls = { playlist: '/d/live/c/index.m3u8', segmentPattern: '/d/live/c/seg-r1-%d.ts', segmentSeconds: 1, listSize: 6 };

describe('ingest runtime pure parts', () => {
  it('push input: RTMP from loopback with -analyzeduration 500000, no RTSP options', () => {
    const args = buildIngestArgs({ input: { kind: 'rtmp-push', url: 'rtmp://127.0.0.1:1935/push/abc' }, hls, audio: 'drop', liveVideo: 'copy' }, caps);
    const i = args.indexOf('-i');
    expect(args.slice(0, i).join(' ')).to.include('-analyzeduration 500000').and.include('-protocol_whitelist rtmp,tcp').and.not.include('-rtsp_transport');
    expect(args[i + 1]).to.equal('rtmp://127.0.0.1:1935/push/abc');
    expect(() => buildIngestArgs({ input: { kind: 'rtmp-push', url: 'rtmp://10.0.0.1/push/x' }, hls, audio: 'drop', liveVideo: 'copy' }, caps)).to.throw();
  });

  it('live HLS segment names carry the run id (never reused across restarts)', () => {
    const store = createIngestStore('/data');
    expect(store.liveSegmentPattern('cam1', 'mx1-2')).to.equal('/data/live/cam1/seg-mx1-2-%d.ts');
    expect(store.liveSegmentPattern('cam1')).to.equal('/data/live/cam1/seg-%d.ts');
    expect(() => store.liveSegmentPattern('cam1', '../x')).to.throw();
  });

  it('sim loop publisher loops forever without an explicit annexb filter', () => {
    const a = loopPublishArgs('/c.mp4', { url: 'rtsp://127.0.0.1:1/publish' });
    expect(a.join(' ')).to.include('-stream_loop -1').and.not.include('h264_mp4toannexb');
  });

  it('maps registry specs to ingest specs (push input wins; nothing to ingest -> null)', () => {
    const s: IngestSpec = {
      id: 'c1', name: 'n', kind: 'road', rtspUrl: 'rtsp://127.0.1.5:8554/main', rtspSubUrl: null, onvifUrl: null, transport: 'tcp', liveVideo: 'copy',
      credentials: { username: 'u', password: 'p' }, recording: { mode: 'continuous', retentionDays: 30 }, ownerUserId: null, version: 1,
    };
    const base = { recordingSegmentSeconds: 60, pushInputUrl: null, flvPublishUrl: null };
    expect(toIngestCameraSpec(s, base)).to.deep.equal({ id: 'c1', rtspUrl: s.rtspUrl, transport: 'tcp', credentials: { username: 'u', password: 'p' }, recording: { mode: 'continuous', segmentSeconds: 60 } });
    expect(toIngestCameraSpec(s, { ...base, pushInputUrl: 'rtmp://127.0.0.1:1/push/c1' })!.pushInputUrl).to.equal('rtmp://127.0.0.1:1/push/c1');
    expect(toIngestCameraSpec({ ...s, rtspUrl: null }, base)).to.equal(null);
    expect(toIngestCameraSpec({ ...s, liveVideo: 'h264' }, base)!.liveVideo, 'transcode live outputs when the camera is set to').to.equal('h264');
    expect(toIngestCameraSpec({ ...s, allowBasicAuth: true }, base)!.allowBasicAuth, 'an operator allowed Basic for this camera').to.equal(true);
  });

  it('caps restart backoff steps at maxRestartDelay', () => {
    expect(backoffFor(3000).stepsMs).to.deep.equal([1000, 2000, 3000, 3000, 3000]);
    const highest = new Backoff(backoffFor(30_000), () => 1); // +20% jitter on every step
    const delays = Array.from({ length: 8 }, () => highest.next(0));
    expect(Math.max(...delays), 'jitter included').to.equal(30_000);
  });
});
