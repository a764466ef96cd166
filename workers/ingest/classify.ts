/**
 * Turns the tail of ffmpeg's (scrubbed) stderr into a camera status and a short cause.
 * The first rule that matches any line wins; rules are ordered most specific first.
 */
import type { CameraStatus } from '@common/domain';

export type FailureStatus = Extract<CameraStatus, 'auth_failed' | 'unreachable' | 'unsupported' | 'offline'>;

export interface Classification {
  status: FailureStatus;
  cause: string;
}

const RULES: Array<[RegExp, FailureStatus, string]> = [
  [/401 Unauthorized|403 Forbidden|authorization failed/i, 'auth_failed', 'camera rejected the credentials'],
  [/Invalid data found when processing input/i, 'unsupported', 'invalid or unsupported stream data'],
  [/(unsupported|unknown) codec|codec not currently supported in container|Could not find codec parameters|matches no streams|not supported by the (flv|mp4|hls) muxer/i, 'unsupported', 'unsupported codec or stream layout'],
  [/415 Unsupported Media Type|461 Unsupported transport/i, 'unsupported', 'camera refused the media or transport'],
  [/Connection refused/i, 'unreachable', 'connection refused'],
  [/No route to host|Network is unreachable|Host is unreachable/i, 'unreachable', 'no route to host'],
  [/Name or service not known|Temporary failure in name resolution|Failed to resolve hostname/i, 'unreachable', 'host name not resolved'],
  [/404 Not Found/i, 'unreachable', 'stream path not found on the camera'],
  [/timed out|Timeout|504 Gateway/i, 'offline', 'camera stopped answering (timeout)'],
  [/Connection reset by peer|End of file|Broken pipe|5\d\d [A-Z]/i, 'offline', 'camera closed the connection'],
];

export function classifyStderr(lines: readonly string[]): Classification | null {
  for (const [re, status, cause] of RULES) {
    const hit = lines.find((l) => re.test(l));
    if (hit !== undefined) return { status, cause: `${cause}: ${hit.trim().slice(0, 200)}` };
  }
  return null;
}
