/**
 * In-process probe of the fragmented MP4 segments ffmpeg's segment muxer writes
 * (movflags frag_keyframe+empty_moov+default_base_moof): codec, size and duration are read from
 * the box structure (moov: hdlr, mdhd, stsd, trex; each moof: tfhd, trun), without starting a
 * process per segment. Anything it does not fully understand goes to the fallback (ffprobe), so
 * odd files are judged exactly as before.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { MediaTiming, ProbeResult, Prober } from '@workers/ffmpeg/probe';

interface Box {
  type: string;
  start: number; // offset of the payload
  end: number;
}

/** Child boxes of a payload held in memory. */
function boxes(buf: Buffer, from = 0, to = buf.length): Box[] {
  const out: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      if (at + 16 > to) throw new Error('truncated box');
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to) throw new Error(`bad ${type} box`);
    out.push({ type, start: at + header, end: at + size });
    at += size;
  }
  return out;
}

const child = (buf: Buffer, parent: Box, type: string) => boxes(buf, parent.start, parent.end).find((b) => b.type === type);
const path = (buf: Buffer, parent: Box, ...types: string[]) => types.reduce<Box | undefined>((b, t) => (b ? child(buf, b, t) : undefined), parent);

interface Track {
  id: number;
  handler: string;
  timescale: number;
  codec: string | null;
  width: number | null;
  height: number | null;
  defaultDuration: number;
  ticks: number;
  samples: number;
  /** Per fragment: base media decode time (tfdt) and ticks. */
  fragments: Array<{ tfdt: number | null; ticks: number }>;
  /** Sample durations (the first 20,000), for the typical frame length. */
  durations: number[];
}

/** Timing read from the media itself (video track): see MediaTiming in @workers/ffmpeg/probe. */
interface Prft {
  ntpMs: number;
  /** Index of the fragment (moof) written right after it. */
  fragment: number;
}

const NTP_UNIX_OFFSET_S = 2_208_988_800;

const CODECS: Record<string, string> = { avc1: 'h264', avc3: 'h264', hvc1: 'hevc', hev1: 'hevc', mp4a: 'aac' };

function parseMoov(buf: Buffer, moov: Box): Map<number, Track> {
  const tracks = new Map<number, Track>();
  const trex = new Map<number, number>();
  const mvex = child(buf, moov, 'mvex');
  if (mvex) for (const b of boxes(buf, mvex.start, mvex.end)) if (b.type === 'trex') trex.set(buf.readUInt32BE(b.start + 4), buf.readUInt32BE(b.start + 12));
  for (const trak of boxes(buf, moov.start, moov.end).filter((b) => b.type === 'trak')) {
    const tkhd = child(buf, trak, 'tkhd');
    const mdhd = path(buf, trak, 'mdia', 'mdhd');
    const hdlr = path(buf, trak, 'mdia', 'hdlr');
    const stsd = path(buf, trak, 'mdia', 'minf', 'stbl', 'stsd');
    const stts = path(buf, trak, 'mdia', 'minf', 'stbl', 'stts');
    if (!tkhd || !mdhd || !hdlr || !stsd) throw new Error('incomplete trak');
    if (stts && buf.readUInt32BE(stts.start + 4) > 0) throw new Error('not a fragmented file');
    const id = buf.readUInt32BE(tkhd.start + (buf[tkhd.start] === 1 ? 20 : 12));
    const timescale = buf.readUInt32BE(mdhd.start + (buf[mdhd.start] === 1 ? 20 : 12));
    const entry = boxes(buf, stsd.start + 8, stsd.end)[0];
    const handler = buf.toString('latin1', hdlr.start + 8, hdlr.start + 12);
    const visual = handler === 'vide' && entry !== undefined;
    tracks.set(id, {
      id,
      handler,
      timescale,
      codec: entry ? (CODECS[entry.type] ?? entry.type) : null,
      width: visual ? buf.readUInt16BE(entry.start + 24) : null,
      height: visual ? buf.readUInt16BE(entry.start + 26) : null,
      defaultDuration: trex.get(id) ?? 0,
      ticks: 0,
      samples: 0,
      fragments: [],
      durations: [],
    });
  }
  return tracks;
}

/** Adds one movie fragment's sample durations to its tracks. */
function addMoof(buf: Buffer, moof: Box, tracks: Map<number, Track>): void {
  for (const traf of boxes(buf, moof.start, moof.end).filter((b) => b.type === 'traf')) {
    const tfhd = child(buf, traf, 'tfhd');
    if (!tfhd) throw new Error('traf without tfhd');
    const tfFlags = buf.readUInt32BE(tfhd.start) & 0xffffff;
    const track = tracks.get(buf.readUInt32BE(tfhd.start + 4));
    if (!track) throw new Error('fragment of an unknown track');
    let at = tfhd.start + 8;
    if (tfFlags & 0x01) at += 8; // base data offset
    if (tfFlags & 0x02) at += 4; // sample description index
    const defaultDuration = tfFlags & 0x08 ? buf.readUInt32BE(at) : track.defaultDuration;
    const tfdt = child(buf, traf, 'tfdt');
    const frag = { tfdt: tfdt ? (buf[tfdt.start] === 1 ? Number(buf.readBigUInt64BE(tfdt.start + 4)) : buf.readUInt32BE(tfdt.start + 4)) : null, ticks: 0 };
    const sample = (d: number) => {
      frag.ticks += d;
      if (track.durations.length < 20_000) track.durations.push(d);
    };
    for (const trun of boxes(buf, traf.start, traf.end).filter((b) => b.type === 'trun')) {
      const flags = buf.readUInt32BE(trun.start) & 0xffffff;
      const count = buf.readUInt32BE(trun.start + 4);
      track.samples += count;
      if (!(flags & 0x100)) {
        for (let i = 0; i < count; i++) sample(defaultDuration);
        continue;
      }
      let p = trun.start + 8 + (flags & 0x01 ? 4 : 0) + (flags & 0x04 ? 4 : 0);
      const stride = 4 * [0x100, 0x200, 0x400, 0x800].filter((f) => flags & f).length;
      if (p + count * stride > trun.end) throw new Error('truncated trun');
      for (let i = 0; i < count; i++, p += stride) sample(buf.readUInt32BE(p));
    }
    track.ticks += frag.ticks;
    track.fragments.push(frag);
  }
}

/** Frames, timestamp jumps, typical frame length and (from prft boxes) the wall clock of the first frame. */
function timingOf(video: Track, prfts: Prft[]): MediaTiming {
  let jumps = 0;
  const f = video.fragments;
  for (let i = 1; i < f.length; i++) {
    const [a, b] = [f[i - 1]!, f[i]!];
    if (a.tfdt !== null && b.tfdt !== null && Math.abs(b.tfdt - (a.tfdt + a.ticks)) > Math.max(1, video.timescale / 1000)) jumps++;
  }
  const sorted = [...video.durations].sort((x, y) => x - y);
  const median = sorted.length ? sorted[Math.floor(sorted.length / 2)]! / video.timescale : null;
  // A prft is written when its fragment is flushed, i.e. when the frame after the fragment arrives:
  // its wall clock is that of the fragment's end.
  const base = f[0]?.tfdt ?? 0;
  const starts = prfts
    .filter((p) => p.fragment < f.length && f[p.fragment]!.tfdt !== null)
    .map((p) => p.ntpMs - (1000 * (f[p.fragment]!.tfdt! + f[p.fragment]!.ticks - base)) / video.timescale)
    .sort((x, y) => x - y);
  const wallStartMs = starts.length ? Math.round(starts[Math.floor(starts.length / 2)]!) : null;
  return { frames: video.samples, jumps, medianFrameSec: median, wallStartMs };
}

function parsePrft(buf: Buffer, fragment: number): Prft | null {
  if (buf.length < 8 + 4 + 4 + 8) return null;
  const sec = buf.readUInt32BE(16);
  const frac = buf.readUInt32BE(20);
  if (!sec) return null;
  return { ntpMs: (sec - NTP_UNIX_OFFSET_S) * 1000 + (frac * 1000) / 2 ** 32, fragment };
}

async function readBox(fh: FileHandle, at: number, size: number): Promise<Buffer> {
  const buf = Buffer.alloc(size);
  const { bytesRead } = await fh.read(buf, 0, size, at);
  if (bytesRead !== size) throw new Error('truncated file');
  return buf;
}

/** Reads a fragmented MP4's codecs and duration; throws when the file is not one it understands. */
export async function probeFragmentedMp4(file: string): Promise<ProbeResult> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    let tracks: Map<number, Track> | null = null;
    let fragments = 0;
    const prfts: Prft[] = [];
    const head = Buffer.alloc(16);
    for (let at = 0; at < size; ) {
      const { bytesRead } = await fh.read(head, 0, 16, at);
      if (bytesRead < 8) throw new Error('truncated box header');
      let boxSize = head.readUInt32BE(0);
      const type = head.toString('latin1', 4, 8);
      if (boxSize === 1) boxSize = Number(head.readBigUInt64BE(8));
      else if (boxSize === 0) boxSize = size - at;
      if (boxSize < 8 || at + boxSize > size) throw new Error(`bad ${type} box at ${at}`);
      if (type === 'prft' && boxSize <= 64) {
        const p = parsePrft(await readBox(fh, at, boxSize), fragments);
        if (p) prfts.push(p);
      } else if (type === 'moov' || type === 'moof') {
        if (boxSize > 16 * 1024 * 1024) throw new Error(`${type} too large`);
        const buf = await readBox(fh, at, boxSize);
        const [box] = boxes(buf);
        if (type === 'moov') tracks = parseMoov(buf, box!);
        else if (tracks) {
          addMoof(buf, box!, tracks);
          fragments++;
        } else throw new Error('moof before moov');
      }
      at += boxSize;
    }
    const video = tracks ? [...tracks.values()].find((t) => t.handler === 'vide') : undefined;
    const audio = tracks ? [...tracks.values()].find((t) => t.handler === 'soun') : undefined;
    if (!video || fragments === 0 || !video.timescale) throw new Error('no video fragments');
    return {
      durationSec: video.ticks / video.timescale,
      videoCodec: video.codec,
      audioCodec: audio?.codec ?? null,
      width: video.width,
      height: video.height,
      timing: timingOf(video, prfts),
    };
  } finally {
    await fh.close();
  }
}

/** fMP4 segments in-process; anything else (or anything odd) through `fallback` (ffprobe). */
export function createSegmentProber(fallback: Prober): Prober {
  return async (file) => {
    if (!file.endsWith('.mp4')) return fallback(file);
    try {
      return await probeFragmentedMp4(file);
    } catch {
      return fallback(file);
    }
  };
}
