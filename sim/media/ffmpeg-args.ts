/**
 * ffmpeg argument builders: pure functions from presets to string[] (never a shell string).
 * No credentials ever appear here: publishing is RTSP over loopback TCP to the simulator itself.
 */
export interface StreamProfile {
  name: 'main' | 'sub';
  width: number;
  height: number;
  fps: number;
  /** GOP length in frames (~2 s). */
  gop: number;
  bitrateKbps: number;
}

export const MAIN_PROFILE: StreamProfile = { name: 'main', width: 1280, height: 720, fps: 25, gop: 50, bitrateKbps: 1200 };
export const SUB_PROFILE: StreamProfile = { name: 'sub', width: 640, height: 360, fps: 25, gop: 50, bitrateKbps: 300 };

export const CLIP_SECONDS = 4;

/** drawtext filter, or undefined when no font is available (graceful fallback). */
export function drawtextFilter(fontFile: string | undefined, text: string, size: number): string | undefined {
  if (!fontFile) return undefined;
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/:/g, '\\:');
  return (
    `drawtext=fontfile='${esc(fontFile)}':text='${text}':fontsize=${size}:fontcolor=white:` +
    `box=1:boxcolor=black@0.6:x=20:y=20`
  );
}

function x264(p: StreamProfile, live: boolean): string[] {
  return [
    '-c:v', 'libx264',
    '-preset', live ? 'ultrafast' : 'veryfast',
    ...(live ? ['-tune', 'zerolatency'] : []),
    '-profile:v', 'main',
    '-pix_fmt', 'yuv420p',
    '-g', String(p.gop),
    '-keyint_min', String(p.gop),
    '-sc_threshold', '0',
    '-b:v', `${p.bitrateKbps}k`,
    '-maxrate', `${p.bitrateKbps}k`,
    '-bufsize', `${p.bitrateKbps * 2}k`,
    '-bf', '0',
  ];
}

function source(p: StreamProfile, filter: string | undefined): string[] {
  const src = `testsrc2=size=${p.width}x${p.height}:rate=${p.fps}`;
  return ['-f', 'lavfi', '-i', filter ? `${src},${filter}` : src];
}

/** Encode the shared loop clip once (generic label + running timecode). */
export function clipEncodeArgs(p: StreamProfile, out: string, fontFile: string | undefined): string[] {
  const label = `SKY EYE SIM ${p.width}x${p.height} %{pts\\:hms}`;
  const filter = drawtextFilter(fontFile, label, Math.round(p.height / 18));
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    ...source(p, filter),
    '-t', String(CLIP_SECONDS),
    ...x264(p, false),
    '-an', '-movflags', '+faststart',
    out,
  ];
}

/** Dump the first frames as Annex B to stdout, to read SPS/PPS. */
export function parameterSetArgs(clip: string): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-i', clip, '-c:v', 'copy', '-bsf:v', 'h264_mp4toannexb',
    '-frames:v', '1', '-f', 'h264', 'pipe:1'];
}

/** The whole clip as an Annex B elementary stream (SPS/PPS before each IDR), for the replay source. */
export function annexBArgs(clip: string, out: string): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-y', '-i', clip, '-map', '0:v:0', '-c:v', 'copy',
    '-bsf:v', 'h264_mp4toannexb', '-f', 'h264', out];
}

export function snapshotArgs(clip: string, out: string): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-y', '-ss', '1', '-i', clip, '-frames:v', '1', '-q:v', '5', out];
}

/** Where a publisher sends its stream: the simulator's record sink (sim/rtsp/record-sink.ts). */
export interface PublishTarget {
  /** rtsp://127.0.0.1:<port>/publish */
  url: string;
}

/** RTP (ffmpeg's 1,472-byte packets for TCP) interleaved in one RTSP RECORD connection. */
function rtpOut(t: PublishTarget): string[] {
  return ['-f', 'rtsp', '-rtsp_transport', 'tcp', t.url];
}

/**
 * Stream-copy loop of the cached clip into RTP, in real time, forever (-stream_loop -1).
 * No explicit -bsf:v h264_mp4toannexb: the RTP muxer packetises avcC (MP4) H.264 itself, and an
 * explicit bitstream filter is flushed at the clip's first EOF in ffmpeg 5.x ("A non-NULL packet
 * sent after an EOF"), which silently stopped the stream after one 4 s pass.
 */
export function loopPublishArgs(clip: string, t: PublishTarget): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-nostdin',
    '-re', '-stream_loop', '-1', '-i', clip,
    '-map', '0:v:0', '-c:v', 'copy', ...rtpOut(t)];
}

/** Live encode with the wall-clock time burned in (for latency measurement). */
export function liveClockArgs(p: StreamProfile, t: PublishTarget, fontFile: string | undefined): string[] {
  const filter = drawtextFilter(fontFile, `%{localtime\\:%Y-%m-%d %T} ${p.width}x${p.height}`, Math.round(p.height / 14));
  return ['-hide_banner', '-loglevel', 'error', '-nostdin',
    '-re', ...source(p, filter), ...x264(p, true), '-an', ...rtpOut(t)];
}

/** A one-frame live encode with the same settings, to learn the live encoder's SPS/PPS. */
export function liveParameterSetArgs(p: StreamProfile, fontFile: string | undefined): string[] {
  const filter = drawtextFilter(fontFile, `%{localtime\\:%T}`, Math.round(p.height / 14));
  return ['-hide_banner', '-loglevel', 'error', ...source(p, filter), '-frames:v', '1', ...x264(p, true),
    '-an', '-f', 'h264', 'pipe:1'];
}
