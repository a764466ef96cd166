/**
 * Clip cache: encode each stream profile ONCE into a cache dir keyed by its parameters,
 * plus SPS/PPS (for the SDP) and a JPEG snapshot. Safe across processes (write tmp, rename).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clipEncodeArgs,
  liveParameterSetArgs,
  parameterSetArgs,
  snapshotArgs,
  type StreamProfile,
} from './ffmpeg-args';
import { findParameterSets, profileLevelId, spropParameterSets } from './h264';
import { runToCompletion } from './process';

export const FFMPEG = process.env.SKYEYE_FFMPEG ?? 'ffmpeg';
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
];

export function defaultCacheDir(): string {
  return process.env.SKYEYE_SIM_CACHE ?? join(tmpdir(), 'skyeye-sim-cache');
}

export function findFont(): string | undefined {
  return FONT_CANDIDATES.find((f) => existsSync(f));
}

export interface PreparedStream {
  profile: StreamProfile;
  clipPath: string;
  snapshotPath: string;
  sprop: string;
  profileLevelId: string;
}

const inflight = new Map<string, Promise<PreparedStream>>();

/** Run ffmpeg into a temporary file and rename it to `out`, unless `out` exists. */
export async function atomicFfmpeg(out: string, build: (tmp: string) => string[]): Promise<void> {
  if (existsSync(out)) return;
  const tmp = out.replace(/(\.\w+)$/, `.${process.pid}.${Date.now()}.tmp$1`);
  await runToCompletion(FFMPEG, build(tmp), 120_000);
  await rename(tmp, out);
}

async function prepare(p: StreamProfile, live: boolean, dir: string): Promise<PreparedStream> {
  await mkdir(dir, { recursive: true });
  const font = findFont();
  const key = createHash('sha1')
    .update(JSON.stringify({ v: 1, p, font: font ?? null, args: clipEncodeArgs(p, 'X', font) }))
    .digest('hex')
    .slice(0, 12);
  const base = join(dir, `${p.name}-${p.width}x${p.height}-${key}`);
  const clipPath = `${base}.mp4`;
  const snapshotPath = `${base}.jpg`;
  const metaPath = `${base}${live ? '.live' : ''}.json`;
  await atomicFfmpeg(clipPath, (tmp) => clipEncodeArgs(p, tmp, font));
  await atomicFfmpeg(snapshotPath, (tmp) => snapshotArgs(clipPath, tmp));
  if (existsSync(metaPath)) {
    const meta = JSON.parse(await readFile(metaPath, 'utf8')) as { sprop: string; profileLevelId: string };
    return { profile: p, clipPath, snapshotPath, ...meta };
  }
  const annexB = await runToCompletion(FFMPEG, live ? liveParameterSetArgs(p, font) : parameterSetArgs(clipPath));
  const ps = findParameterSets(annexB);
  const meta = { sprop: spropParameterSets(ps), profileLevelId: profileLevelId(ps.sps) };
  const tmp = `${metaPath}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(meta));
  await rename(tmp, metaPath);
  return { profile: p, clipPath, snapshotPath, ...meta };
}

/** Prepare (or reuse) the clip, snapshot and SDP parameters of a stream profile. */
export function prepareStream(p: StreamProfile, live = false, dir = defaultCacheDir()): Promise<PreparedStream> {
  const k = `${dir}|${p.name}|${p.width}x${p.height}|${live}`;
  let pr = inflight.get(k);
  if (!pr) {
    pr = prepare(p, live, dir);
    inflight.set(k, pr);
    pr.catch(() => inflight.delete(k));
  }
  return pr;
}
