/**
 * Watches one live HLS playlist by polling: when segments get listed (a new last entry), their
 * durations, discontinuities, and segment gaps (no new segment for too long, or a segment
 * longer than the media could be without missing frames).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface Playlist {
  mediaSequence: number;
  segments: Array<{ uri: string; duration: number }>;
  discontinuities: number;
}

export function parsePlaylist(text: string): Playlist {
  const out: Playlist = { mediaSequence: 0, segments: [], discontinuities: 0 };
  let dur: number | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXT-X-MEDIA-SEQUENCE:')) out.mediaSequence = Number(line.slice(22));
    else if (line.startsWith('#EXTINF:')) dur = parseFloat(line.slice(8));
    else if (line === '#EXT-X-DISCONTINUITY') out.discontinuities += 1;
    else if (line && !line.startsWith('#') && dur !== null) {
      out.segments.push({ uri: line, duration: dur });
      dur = null;
    }
  }
  return out;
}

export interface Listing {
  /** When the poll first saw this segment as the playlist's last entry. */
  at: number;
  uri: string;
  duration: number;
}

export class PlaylistWatcher {
  readonly listings: Listing[] = [];
  private lastKey = '';
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    readonly path: string,
    private pollMs: number,
  ) {}

  /** Starts polling; whatever the playlist lists now (an earlier run's leftovers) is not new. */
  start(): this {
    try {
      const p = parsePlaylist(readFileSync(this.path, 'utf8'));
      const last = p.segments.at(-1);
      if (last) this.lastKey = `${p.mediaSequence + p.segments.length}|${last.uri}`;
    } catch {
      /* no playlist yet */
    }
    this.setPoll(this.pollMs);
    return this;
  }

  setPoll(ms: number): void {
    this.pollMs = ms;
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => void this.poll(), ms);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const text = await readFile(this.path, 'utf8').catch(() => '');
      const at = Date.now();
      const p = parsePlaylist(text);
      const last = p.segments.at(-1);
      if (!last) return;
      const key = `${p.mediaSequence + p.segments.length}|${last.uri}`;
      if (key === this.lastKey) return;
      this.lastKey = key;
      this.listings.push({ at, uri: last.uri, duration: last.duration });
    } finally {
      this.busy = false;
    }
  }

  get firstListedAt(): number | null {
    return this.listings[0]?.at ?? null;
  }

  /** First listing strictly after t. */
  firstAfter(t: number): Listing | undefined {
    return this.listings.find((l) => l.at > t);
  }

  /**
   * Segment gaps in [t0, t1]: a stretch with no new segment longer than maxSilenceMs, or a listed
   * segment longer than maxSegmentSec (frames missing inside it). Returns descriptions.
   */
  gaps(t0: number, t1: number, maxSilenceMs: number, maxSegmentSec: number): string[] {
    const out: string[] = [];
    let prev = t0;
    for (const l of this.listings) {
      if (l.at <= t0) continue;
      if (l.at > t1) break;
      if (l.at - prev > maxSilenceMs) out.push(`no segment for ${((l.at - prev) / 1000).toFixed(1)} s`);
      if (l.duration > maxSegmentSec) out.push(`segment of ${l.duration.toFixed(1)} s`);
      prev = l.at;
    }
    if (t1 - prev > maxSilenceMs) out.push(`no segment for ${((t1 - prev) / 1000).toFixed(1)} s at window end`);
    return out;
  }
}
