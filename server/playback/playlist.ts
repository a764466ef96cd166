/**
 * The VOD playlist over recorded segments (pure). Every recorded file is a fragmented MP4 with
 * its own init (ftyp+moov) and timestamps starting at zero, so each file is one HLS fMP4 segment
 * with its own EXT-X-MAP, preceded by EXT-X-DISCONTINUITY (a new timeline) and
 * EXT-X-PROGRAM-DATE-TIME (its wall-clock start, which also jumps over gaps). EXT-X-START puts
 * the player at the requested time inside the first file.
 */
export interface PlaylistSegment {
  /** Epoch ms; also the segment's id in URLs. */
  start: number;
  end: number;
}

export interface PlaylistInput {
  segments: readonly PlaylistSegment[];
  /** Requested start (epoch ms): the player starts here. */
  from: number;
  /** URI (relative to the playlist) of a segment's init section and of its media. */
  initUri(start: number): string;
  mediaUri(start: number): string;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function buildVodPlaylist(p: PlaylistInput): string {
  const segs = [...p.segments].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  const target = Math.max(1, ...segs.map((s) => Math.ceil((s.end - s.start) / 1000)));
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', `#EXT-X-TARGETDURATION:${target}`, '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-INDEPENDENT-SEGMENTS'];
  const first = segs[0];
  if (first && p.from > first.start) lines.push(`#EXT-X-START:TIME-OFFSET=${seconds(Math.min(p.from, first.end) - first.start)},PRECISE=YES`);
  segs.forEach((s, i) => {
    if (i > 0) lines.push('#EXT-X-DISCONTINUITY');
    lines.push(`#EXT-X-MAP:URI="${p.initUri(s.start)}"`, `#EXT-X-PROGRAM-DATE-TIME:${new Date(s.start).toISOString()}`, `#EXTINF:${seconds(s.end - s.start)},`, p.mediaUri(s.start));
  });
  lines.push('#EXT-X-ENDLIST', '');
  return lines.join('\n');
}

/** Where the init section of a fragmented MP4 ends: the offset of its first moof (or mdat). Null until enough bytes are given. */
export function initLength(head: Buffer): number | null {
  let at = 0;
  while (at + 8 <= head.length) {
    let size = head.readUInt32BE(at);
    const type = head.toString('latin1', at + 4, at + 8);
    if (type === 'moof' || type === 'mdat') return at;
    if (size === 1) {
      if (at + 16 > head.length) return null;
      size = Number(head.readBigUInt64BE(at + 8));
    }
    if (size < 8) throw new Error(`bad ${JSON.stringify(type)} box at ${at}`);
    at += size;
  }
  return null;
}
