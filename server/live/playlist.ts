/**
 * Rewrites a live HLS playlist so every URI it names carries the playback token as a query
 * parameter: media-segment lines, and URI="..." attributes (EXT-X-MAP, EXT-X-KEY, EXT-X-PART,
 * EXT-X-MEDIA, EXT-X-PRELOAD-HINT ...). Relative URIs stay relative; absolute ones are left alone.
 */
const URI_ATTR = /URI="([^"]*)"/g;

function withToken(uri: string, token: string): string {
  if (uri === '' || /^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/')) return uri;
  const hash = uri.indexOf('#');
  const base = hash >= 0 ? uri.slice(0, hash) : uri;
  const frag = hash >= 0 ? uri.slice(hash) : '';
  const cleaned = base.replace(/([?&])token=[^&]*(&|$)/, (_m, pre: string, post: string) => (post ? pre : '')).replace(/[?&]$/, '');
  const sep = cleaned.includes('?') ? '&' : '?';
  return `${cleaned}${sep}token=${encodeURIComponent(token)}${frag}`;
}

export function rewritePlaylist(text: string, token: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const trimmed = line.trim();
      if (trimmed === '') return line;
      if (trimmed.startsWith('#')) return trimmed.startsWith('#EXT') ? line.replace(URI_ATTR, (_m, uri: string) => `URI="${withToken(uri, token)}"`) : line;
      return withToken(trimmed, token);
    })
    .join('\n');
}

/** File names the live HLS route serves: the playlist and ffmpeg's segments, nothing else. */
export const LIVE_FILE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\.(m3u8|ts|m4s|mp4|aac)$/;

export function liveContentType(fileName: string): string {
  if (fileName.endsWith('.m3u8')) return 'application/vnd.apple.mpegurl';
  if (fileName.endsWith('.ts')) return 'video/mp2t';
  if (fileName.endsWith('.aac')) return 'audio/aac';
  return 'video/mp4';
}
