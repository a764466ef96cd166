import { expect } from 'chai';
import { buildIngestArgs, buildSubStreamArgs, flvOutputArgs, hlsOutputArgs, recordingOutputArgs, rtspInputArgs } from '@workers/ffmpeg/args';
import { parseFfmpegVersion } from '@workers/ffmpeg/version';

const v5 = parseFfmpegVersion('ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026');
const v4 = parseFfmpegVersion('ffmpeg version 4.4.2-0ubuntu0.22.04.1 Copyright');

const valueOf = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('workers/ffmpeg args', () => {
  describe('version detection', () => {
    const table: Array<[string, number, string]> = [
      ['ffmpeg version 5.1.9-0+deb12u1 Copyright', 5, '-timeout'],
      ['ffmpeg version 4.4.2-0ubuntu0.22.04.1', 4, '-stimeout'],
      ['ffmpeg version n6.1.1 Copyright', 6, '-timeout'],
      ['ffmpeg version N-112233-gabcdef Copyright', 0, '-timeout'],
      // git snapshots name no release: the libavformat major decides (first row: the npm-packaged 4.1 build)
      ['ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/\nlibavutil      56. 24.101 / 56. 24.101\nlibavformat    58. 24.100 / 58. 24.100', 4, '-stimeout'],
      ['ffmpeg version N-109000-gabc Copyright\nlibavformat    59. 27.100 / 59. 27.100', 5, '-timeout'],
      ['ffmpeg version N-120000-gabc Copyright\nlibavformat    61.  7.100 / 61.  7.100', 7, '-timeout'],
    ];
    for (const [line, major, opt] of table) {
      it(`${line.slice(15, 30)} -> ${opt}`, () => {
        expect(parseFfmpegVersion(line)).to.deep.equal({ major, rtspTimeoutOption: opt });
      });
    }
  });

  describe('rtsp input', () => {
    const table: Array<{ name: string; transport: 'tcp' | 'udp'; caps: typeof v5; expect: Record<string, string> }> = [
      { name: 'tcp on 5.x', transport: 'tcp', caps: v5, expect: { '-rtsp_transport': 'tcp', '-timeout': '5000000', '-protocol_whitelist': 'rtsp,rtp,tcp', '-use_wallclock_as_timestamps': '1', '-fpsprobesize': '0' } },
      { name: 'udp on 5.x', transport: 'udp', caps: v5, expect: { '-rtsp_transport': 'udp', '-timeout': '5000000', '-protocol_whitelist': 'rtsp,rtp,udp,tcp', '-use_wallclock_as_timestamps': '1', '-fpsprobesize': '0' } },
      { name: 'tcp on 4.x', transport: 'tcp', caps: v4, expect: { '-rtsp_transport': 'tcp', '-stimeout': '5000000', '-use_wallclock_as_timestamps': '1', '-fpsprobesize': '0' } },
    ];
    for (const t of table) {
      it(t.name, () => {
        const args = rtspInputArgs({ url: 'rtsp://127.0.0.1:1/x', transport: t.transport, socketTimeoutMs: 5000 }, t.caps);
        for (const [k, v] of Object.entries(t.expect)) expect(valueOf(args, k), k).to.equal(v);
        expect(args.slice(-2)).to.deep.equal(['-i', 'rtsp://127.0.0.1:1/x']);
        if (t.caps.major === 4) expect(args).not.to.include('-timeout');
      });
    }
    it('ends stream analysis at the codec parameters, keeping the packets read meanwhile', () => {
      // -fpsprobesize 0: no 20-frame frame-rate guess before output starts (recovery, issue 13).
      // No -fflags nobuffer: it would drop the packets read during analysis, the first IDR among them.
      const args = rtspInputArgs({ url: 'rtsp://127.0.0.1:1/x', transport: 'tcp', socketTimeoutMs: 5000 }, v5);
      expect(args.indexOf('-fpsprobesize')).to.be.within(0, args.indexOf('-i') - 1);
      expect(valueOf(args, '-fflags')).not.to.include('nobuffer');
      expect(args).not.to.include('-probesize');
      expect(args).not.to.include('-analyzeduration');
    });
    it('refuses a URL with credentials', () => {
      expect(() => rtspInputArgs({ url: 'rtsp://admin:pw@10.0.0.1/x', transport: 'tcp', socketTimeoutMs: 1 }, v5)).to.throw(/credentials/);
    });
  });

  describe('outputs', () => {
    const hls = { playlist: '/d/live/c/index.m3u8', segmentPattern: '/d/live/c/seg-%d.ts', segmentSeconds: 2, listSize: 6 };
    const table: Array<{ name: string; args: string[]; has: Array<[string, string]>; lacks?: string[] }> = [
      {
        name: 'hls copy, audio dropped',
        args: hlsOutputArgs(hls, 'drop', 'copy'),
        has: [['-c:v', 'copy'], ['-f', 'hls'], ['-hls_time', '2'], ['-hls_list_size', '6'], ['-hls_flags', 'delete_segments+program_date_time+independent_segments+omit_endlist+discont_start+temp_file'], ['-hls_segment_filename', '/d/live/c/seg-%d.ts']],
        lacks: ['-c:a', 'libx264'],
      },
      { name: 'hls audio copied', args: hlsOutputArgs(hls, 'copy', 'copy'), has: [['-c:a', 'copy'], ['-map', '0:v:0']], lacks: ['-an'] },
      { name: 'hls transcode to h264', args: hlsOutputArgs(hls, 'drop', 'h264'), has: [['-c:v', 'libx264'], ['-tune', 'zerolatency']] },
      {
        name: 'recording segments',
        args: recordingOutputArgs({ pattern: '/d/cache/c/%Y%m%d-%H%M%S.mp4', segmentSeconds: 60, listPath: '/d/cache/c/.segments-r.csv' }, 'drop'),
        has: [['-c:v', 'copy'], ['-f', 'segment'], ['-segment_time', '60'], ['-segment_atclocktime', '1'], ['-reset_timestamps', '1'], ['-strftime', '1'], ['-segment_format', 'mp4'], ['-segment_format_options', 'movflags=+frag_keyframe+empty_moov+default_base_moof'], ['-segment_list', '/d/cache/c/.segments-r.csv'], ['-segment_list_type', 'csv']],
        lacks: ['libx264'],
      },
      { name: 'flv republish via tee', args: flvOutputArgs('rtmp://127.0.0.1:1935/live/c1?key=k', 'copy'), has: [['-f', 'tee'], ['-c:v', 'copy']] },
    ];
    for (const t of table) {
      it(t.name, () => {
        for (const [k, v] of t.has) expect(valueOf(t.args, k), k).to.equal(v);
        for (const k of t.lacks ?? []) expect(t.args).not.to.include(k);
      });
    }
    it('on-demand sub stream: proxy URL in, video only, copied to FLV on /sub/<id>; no secrets, only strings', () => {
      const input = { url: 'rtsp://127.0.0.1:9/opaque', transport: 'tcp' as const, socketTimeoutMs: 5000 };
      const a = buildSubStreamArgs({ input, outputUrl: 'rtmp://127.0.0.1:1935/sub/c1', video: 'copy' }, v5);
      expect(a.slice(0, 6)).to.deep.equal(['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+warning', '-y']);
      expect(a.filter((x) => x === '-i')).to.have.length(1);
      expect(valueOf(a, '-i')).to.equal('rtsp://127.0.0.1:9/opaque');
      expect(valueOf(a, '-rtsp_transport')).to.equal('tcp');
      expect(valueOf(a, '-map')).to.equal('0:v:0');
      expect(valueOf(a, '-c:v')).to.equal('copy');
      expect(a).to.include('-an').and.not.to.include('libx264');
      expect(a.slice(-5)).to.deep.equal(['-f', 'flv', '-flvflags', 'no_duration_filesize', 'rtmp://127.0.0.1:1935/sub/c1']);
      expect(a.every((x) => typeof x === 'string')).to.equal(true);
      expect(valueOf(buildSubStreamArgs({ input, outputUrl: 'rtmp://127.0.0.1:1935/sub/c1', video: 'h264' }, v5), '-c:v')).to.equal('libx264');
      // credentials never on the command line; the output only the media server's /sub/<id>
      expect(() => buildSubStreamArgs({ input: { ...input, url: 'rtsp://admin:pw@10.0.0.1/sub' }, outputUrl: 'rtmp://127.0.0.1:1935/sub/c1', video: 'copy' }, v5)).to.throw(/credentials/);
      for (const bad of ['rtmp://127.0.0.1:1935/live/c1', 'rtmp://u:p@127.0.0.1/sub/c1', 'rtmp://127.0.0.1/sub/c1?key=k', 'tcp://127.0.0.1:1/sub/c1', 'rtmp://127.0.0.1/sub/c 1']) {
        expect(() => buildSubStreamArgs({ input, outputUrl: bad, video: 'copy' }, v5), bad).to.throw();
      }
    });
    it('flv slave is onfail=ignore next to a null slave', () => {
      expect(flvOutputArgs('rtmp://127.0.0.1:1935/live/c1?key=k', 'copy').at(-1)).to.equal('[f=flv:onfail=ignore]rtmp://127.0.0.1:1935/live/c1?key=k|[f=null]-');
      expect(() => flvOutputArgs('rtmp://x/a|b', 'copy')).to.throw();
      expect(() => flvOutputArgs('http://x/a', 'copy')).to.throw();
      // the on-demand gate (workers/rtmp/flv-gate.ts): plain TCP on loopback only
      expect(flvOutputArgs('tcp://127.0.0.1:40000', 'copy').at(-1)).to.equal('[f=flv:onfail=ignore]tcp://127.0.0.1:40000|[f=null]-');
      expect(() => flvOutputArgs('tcp://10.0.0.1:40000', 'copy')).to.throw();
      expect(() => flvOutputArgs('tcp://127.0.0.1:40000|x', 'copy')).to.throw();
    });
    it("flv tee stream gets FLV's millisecond time base on ffmpeg 5+ (setts), not on 4.x", () => {
      const on5 = flvOutputArgs('tcp://127.0.0.1:40000', 'copy', { major: 5 });
      expect(on5.slice(on5.indexOf('-bsf:v'), on5.indexOf('-bsf:v') + 4)).to.deep.equal(['-bsf:v', 'setts=time_base=1/1000', '-f', 'tee']);
      expect(flvOutputArgs('tcp://127.0.0.1:40000', 'copy', { major: 4 })).to.not.include('-bsf:v');
      expect(flvOutputArgs('tcp://127.0.0.1:40000', 'copy', { major: 0 })).to.include('setts=time_base=1/1000');
    });
    it('full command: one input, optional outputs, only strings', () => {
      const base = { input: { url: 'rtsp://127.0.0.1:9/abc', transport: 'tcp' as const, socketTimeoutMs: 5000 }, hls, audio: 'drop' as const, liveVideo: 'copy' as const };
      const a = buildIngestArgs(base, v5);
      expect(a.filter((x) => x === '-i')).to.have.length(1);
      expect(a).not.to.include('segment');
      expect(a).not.to.include('tee');
      const b = buildIngestArgs({ ...base, recording: { pattern: 'p', segmentSeconds: 4, listPath: 'l' }, flvPublishUrl: 'rtmp://127.0.0.1:1935/live/c' }, v5);
      expect(b).to.include('segment').and.to.include('tee');
      expect(b.every((x) => typeof x === 'string')).to.equal(true);
      expect(b.slice(0, 6)).to.deep.equal(['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+warning', '-y']);
    });
  });
});
