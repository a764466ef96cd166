/**
 * ffmpeg arguments as data: pure builders from presets to string[] (never a shell string).
 * One process per camera: RTSP input, then live HLS, recording segments and an optional FLV
 * republish, all stream-copied unless the camera asks for H.264 transcoding of its live outputs.
 */
import { ffmpeg5, type FfmpegCapabilities } from './version';

export interface RtspInputPreset {
  /** URL ffmpeg opens; must not carry credentials (see rtsp-auth-proxy). */
  url: string;
  transport: 'tcp' | 'udp';
  /** Socket I/O timeout; ffmpeg gives up on a silent socket after this. */
  socketTimeoutMs: number;
}

/** A camera that pushes RTMP to the built-in media server: read back from loopback. */
export interface RtmpPushInputPreset {
  kind: 'rtmp-push';
  /** rtmp://127.0.0.1:<port>/push/<cameraId> (workers/rtmp pushInputFor). */
  url: string;
}

export type InputPreset = (RtspInputPreset & { kind?: 'rtsp' }) | RtmpPushInputPreset;

export interface HlsPreset {
  playlist: string;
  segmentPattern: string;
  segmentSeconds: number;
  listSize: number;
}

export interface RecordingPreset {
  /** strftime pattern of segment file names (store/ decides it). */
  pattern: string;
  segmentSeconds: number;
  /** CSV list ffmpeg appends `name,start,end` to when a segment closes. */
  listPath: string;
  /**
   * Write a producer reference time box (prft, wall clock) before every fragment (ffmpeg 5+), so a
   * segment's start is read from the media to the millisecond.
   */
  wallClockRefs?: boolean;
}

export interface IngestPreset {
  input: InputPreset;
  hls: HlsPreset;
  recording?: RecordingPreset;
  /**
   * Where the FLV output goes: tcp://127.0.0.1:<port> (the media server's on-demand gate,
   * workers/rtmp/flv-gate.ts) or rtmp://127.0.0.1:<port>/live/<cameraId>; optional, failure there
   * never stops the rest.
   */
  flvPublishUrl?: string;
  audio: 'copy' | 'drop';
  /** 'copy' (default) or 'h264': transcode live outputs (e.g. an H.265 sub stream) to H.264. Recording always copies. */
  liveVideo: 'copy' | 'h264';
}

export const HLS_FLAGS = [
  'delete_segments',
  'program_date_time',
  'independent_segments',
  'omit_endlist',
  'discont_start',
  'temp_file',
] as const;

export function globalArgs(): string[] {
  return ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+warning', '-y'];
}

export function rtspInputArgs(p: RtspInputPreset, caps: FfmpegCapabilities): string[] {
  if (/^[a-z]+:\/\/[^/]*@/i.test(p.url)) throw new Error('refusing to put credentials on the ffmpeg command line');
  const whitelist = p.transport === 'udp' ? 'rtsp,rtp,udp,tcp' : 'rtsp,rtp,tcp';
  return [
    '-protocol_whitelist', whitelist,
    '-rtsp_transport', p.transport,
    caps.rtspTimeoutOption, String(Math.round(p.socketTimeoutMs * 1000)),
    '-use_wallclock_as_timestamps', '1',
    '-fflags', '+genpts+discardcorrupt',
    // Stream analysis ends once the codec parameters are known (SPS/PPS come in the SDP; the first
    // IDR frame gives the pixel format) instead of also counting 20 frames to guess the frame rate
    // (~0.8 s at 25 fps): recordings and live start that much sooner after a reconnect. Packets read
    // meanwhile are kept (no `-fflags nobuffer`), so the first GOP is still recorded whole.
    '-fpsprobesize', '0',
    '-i', p.url,
  ];
}

/**
 * Pushed RTMP read back from node-media-server on loopback. Probing stops after 0.5 s
 * (-analyzeduration 500000) so the stream starts in under a second instead of ~5 s.
 */
export function rtmpPushInputArgs(p: RtmpPushInputPreset): string[] {
  if (!/^rtmp:\/\/(127\.[0-9.]+|localhost|\[::1\])(:\d+)?\//.test(p.url)) throw new Error('push input must be an rtmp:// URL on loopback');
  return [
    '-protocol_whitelist', 'rtmp,tcp',
    '-analyzeduration', '500000',
    '-fflags', '+genpts+discardcorrupt',
    '-i', p.url,
  ];
}

export function inputArgs(p: InputPreset, caps: FfmpegCapabilities): string[] {
  return p.kind === 'rtmp-push' ? rtmpPushInputArgs(p) : rtspInputArgs(p, caps);
}

function videoCodecArgs(mode: 'copy' | 'h264'): string[] {
  if (mode === 'copy') return ['-c:v', 'copy'];
  return ['-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'main', '-g', '50', '-sc_threshold', '0'];
}

function mapArgs(audio: 'copy' | 'drop'): string[] {
  return audio === 'copy' ? ['-map', '0:v:0', '-map', '0:a:0?', '-c:a', 'copy'] : ['-map', '0:v:0', '-an'];
}

export function hlsOutputArgs(p: HlsPreset, audio: 'copy' | 'drop', video: 'copy' | 'h264'): string[] {
  return [
    ...mapArgs(audio),
    ...videoCodecArgs(video),
    '-f', 'hls',
    '-hls_time', String(p.segmentSeconds),
    '-hls_list_size', String(p.listSize),
    '-hls_flags', HLS_FLAGS.join('+'),
    '-hls_segment_type', 'mpegts',
    '-hls_segment_filename', p.segmentPattern,
    p.playlist,
  ];
}

export function recordingOutputArgs(p: RecordingPreset, audio: 'copy' | 'drop'): string[] {
  return [
    ...mapArgs(audio),
    '-c:v', 'copy',
    '-f', 'segment',
    '-segment_time', String(p.segmentSeconds),
    '-segment_atclocktime', '1',
    '-reset_timestamps', '1',
    '-strftime', '1',
    '-segment_format', 'mp4',
    '-segment_format_options', `movflags=+frag_keyframe+empty_moov+default_base_moof${p.wallClockRefs ? ':write_prft=wallclock' : ''}`,
    '-segment_list', p.listPath,
    '-segment_list_type', 'csv',
    p.pattern,
  ];
}

/**
 * FLV republish through the tee muxer with onfail=ignore, next to a null slave: if the RTMP
 * server (or the on-demand gate's loopback listener) is down, this output drops out and the
 * live/recording outputs carry on.
 * The tee's stream gets FLV's own millisecond time base (`setts`, ffmpeg 5+): stream copy into a
 * tee otherwise takes a time base of one frame, so when a camera's first packet comes without a
 * timestamp (a fresh RTSP session often does) every later packet collides with the one before, and
 * ffmpeg wrote a "Non-monotonous DTS" warning for each one, 25 a second per camera, for the whole
 * session (and node scrubbed each line for the stderr ring).
 */
export function flvOutputArgs(url: string, video: 'copy' | 'h264', caps?: Pick<FfmpegCapabilities, 'major'>): string[] {
  const gate = /^tcp:\/\/127\.0\.0\.1:\d+$/.test(url);
  if ((!gate && !/^rtmps?:\/\//.test(url)) || /[|[\]\\\s]/.test(url)) {
    throw new Error('flvPublishUrl must be an rtmp:// URL or tcp://127.0.0.1:<port>, without | [ ] \\ or spaces');
  }
  const timeBase = caps && ffmpeg5(caps) ? ['-bsf:v', 'setts=time_base=1/1000'] : [];
  return ['-map', '0:v:0', '-an', ...videoCodecArgs(video), ...timeBase, '-f', 'tee', `[f=flv:onfail=ignore]${url}|[f=null]-`];
}

export function buildIngestArgs(p: IngestPreset, caps: FfmpegCapabilities): string[] {
  return [
    ...globalArgs(),
    ...inputArgs(p.input, caps),
    ...hlsOutputArgs(p.hls, p.audio, p.liveVideo),
    ...(p.recording ? recordingOutputArgs(p.recording, p.audio) : []),
    ...(p.flvPublishUrl ? flvOutputArgs(p.flvPublishUrl, p.liveVideo, caps) : []),
  ];
}

/**
 * The on-demand sub-stream process (workers/substream): a camera's RTSP sub stream, video only,
 * stream-copied (or H.264 for a camera whose live outputs are transcoded) as FLV to the built-in
 * media server's /sub/<cameraId> on loopback. Runs only while someone watches the sub stream.
 */
export interface SubStreamPreset {
  /** The sub stream's RTSP URL as ffmpeg opens it: the auth proxy's loopback URL, no credentials. */
  input: RtspInputPreset;
  /** rtmp://<media server host>:<port>/sub/<cameraId> (MediaServer.subOutput; only our own processes may publish). */
  outputUrl: string;
  video: 'copy' | 'h264';
}

export function buildSubStreamArgs(p: SubStreamPreset, caps: FfmpegCapabilities): string[] {
  if (!/^rtmp:\/\/[^\s/@]+\/sub\/[^\s/?@]+$/.test(p.outputUrl)) throw new Error('sub-stream output must be rtmp://<media server>/sub/<cameraId>, without credentials or a query');
  return [
    ...globalArgs(),
    ...rtspInputArgs(p.input, caps),
    '-map', '0:v:0', '-an',
    ...videoCodecArgs(p.video),
    '-f', 'flv', '-flvflags', 'no_duration_filesize',
    p.outputUrl,
  ];
}
