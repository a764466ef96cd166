/**
 * Stream addresses on the built-in media server. The ingest pipeline asks here instead of
 * concatenating URLs: a push camera is read from PUSH_APP, every ingest republishes to LIVE_APP.
 */
export const PUSH_APP = 'push';
export const LIVE_APP = 'live';
/** The on-demand sub streams (workers/substream): published only while someone watches. */
export const SUB_APP = 'sub';

export interface RtmpEndpoint {
  /** Address the ingest ffmpeg connects to (loopback on a single machine). */
  host: string;
  port: number;
}

const hostPart = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** Where ingest ffmpeg reads a camera that pushes RTMP to us (instead of pulling RTSP). */
export function pushInputUrl(ep: RtmpEndpoint, cameraId: string): string {
  return `rtmp://${hostPart(ep.host)}:${ep.port}/${PUSH_APP}/${encodeURIComponent(cameraId)}`;
}

/** Where ingest ffmpeg republishes a camera (-c copy -f flv) for low-latency FLV playback. */
export function liveOutputUrl(ep: RtmpEndpoint, cameraId: string): string {
  return `rtmp://${hostPart(ep.host)}:${ep.port}/${LIVE_APP}/${encodeURIComponent(cameraId)}`;
}

/** node-media-server's HTTP-FLV address for a camera's live stream (`app` SUB_APP: its sub stream). */
export function httpFlvUrl(ep: RtmpEndpoint, cameraId: string, app: string = LIVE_APP): string {
  return `http://${hostPart(ep.host)}:${ep.port}/${app}/${encodeURIComponent(cameraId)}.flv`;
}

/** The address shown to the camera owner when a push key is issued (host may be public). */
export function pushPublishUrl(host: string, port: number, cameraId: string): string {
  return `rtmp://${hostPart(host)}:${port}/${PUSH_APP}/${encodeURIComponent(cameraId)}`;
}

export function isLoopbackAddress(ipWithPort: string): boolean {
  const addr = ipWithPort.replace(/:\d+$/, '');
  return addr.startsWith('127.') || addr === '::1' || addr.startsWith('::ffff:127.');
}

/** Where a camera's on-demand sub-stream ffmpeg publishes (-c copy -f flv). */
export function subOutputUrl(ep: RtmpEndpoint, cameraId: string): string {
  return `rtmp://${hostPart(ep.host)}:${ep.port}/${SUB_APP}/${encodeURIComponent(cameraId)}`;
}
