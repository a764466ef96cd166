/**
 * A segment's place on the wall clock, from the media: pure. Within one ffmpeg run, the segment
 * list's stream times are exact and contiguous, so one anchor per run (stream second -> wall ms,
 * taken from the first segment's prft boxes, else its file name) maps every segment, and
 * consecutive segments of a run never overlap (a segment that starts up to one frame before the
 * last one's end, ffmpeg's guess at that last frame's length, starts at that end). A segment whose
 * frames disagree with its length, or whose timestamps jumped (back by more than a frame, or inside
 * the file), is flagged (the index keeps it, and says so).
 */
import type { MediaTiming } from '@workers/ffmpeg/probe';

export interface RunClock {
  /** Wall ms minus stream ms for this run; null until the first segment sets it. */
  offsetMs: number | null;
  /** End (wall ms) of the run's last segment. */
  lastEndMs: number | null;
}

export interface TimesInput {
  /** Second-precision start from the file name (ffmpeg's strftime when the file opened). */
  nameTime: Date;
  /** The segment list's stream times (null: an orphan found by a sweep). */
  listed: { startSec: number; endSec: number } | null;
  probeDurationSec: number;
  timing?: MediaTiming;
}

export interface SegmentTimes {
  start: Date;
  end: Date;
  durationMs: number;
  flags: string[];
}

/** A frame's length when the media does not say (25 fps). */
const DEFAULT_FRAME_SEC = 0.04;

/** Tolerance: the larger of 1 s and 20% of the segment. */
const off = (a: number, b: number) => Math.abs(a - b) > Math.max(1_000, 0.2 * Math.max(a, b));

export function segmentTimes(input: TimesInput, run: RunClock | null): SegmentTimes {
  const flags: string[] = [];
  const t = input.timing;
  const mediaMs = Math.round(input.probeDurationSec * 1000);
  const wall = t?.wallStartMs ?? null;
  const frameMs = 1000 * Math.min(1, t?.medianFrameSec ?? DEFAULT_FRAME_SEC);
  if (wall === null) flags.push('time_from_name');
  let startMs: number;
  let endMs: number;
  if (input.listed && run) {
    const streamMs = input.listed.startSec * 1000;
    run.offsetMs ??= (wall ?? input.nameTime.getTime()) - streamMs;
    startMs = Math.round(streamMs + run.offsetMs);
    const overlapMs = run.lastEndMs === null ? 0 : run.lastEndMs - startMs;
    if (overlapMs > frameMs) {
      // Stream time went backwards (a camera that restarted its clock): re-anchor after the last segment.
      flags.push('timestamps_jumped');
      startMs = Math.max(run.lastEndMs!, wall ?? run.lastEndMs!);
      run.offsetMs = startMs - streamMs;
    } else if (overlapMs > 0) {
      // Within a frame: the muxer guessed the last frame's length of the segment before (a nominal
      // frame, where wall-clock timestamps put the next keyframe a few ms sooner). Not a jump.
      startMs = run.lastEndMs!;
    }
    // Both ends rounded from the stream times, never start + a rounded length: the next segment's
    // start is then exactly this end (rounding sums would drift a millisecond and read as a jump).
    endMs = Math.max(startMs, Math.round(input.listed.endSec * 1000 + run.offsetMs));
  } else {
    startMs = wall ?? input.nameTime.getTime();
    endMs = startMs + (input.listed ? Math.max(0, Math.round((input.listed.endSec - input.listed.startSec) * 1000)) : mediaMs);
  }
  const durationMs = endMs - startMs;
  if (t && t.jumps > 0 && !flags.includes('timestamps_jumped')) flags.push('timestamps_jumped');
  if (t && t.medianFrameSec && t.frames > 1 && off(t.frames * t.medianFrameSec * 1000, durationMs)) flags.push('frames_mismatch');
  if (input.listed && off(mediaMs, durationMs)) flags.push('duration_mismatch');
  if (run) run.lastEndMs = Math.max(run.lastEndMs ?? endMs, endMs);
  return { start: new Date(startMs), end: new Date(endMs), durationMs, flags };
}
