/**
 * Turns the tail of ffmpeg's (scrubbed) stderr into a camera status, a stable cause phrase
 * (common/causes.ts, translated by the console) and the raw line as detail (for the status
 * history), without ffmpeg's memory addresses. The first rule that matches any line wins; rules
 * are ordered most specific first.
 */
import { STATUS_CAUSES as C, type StatusCause } from '@common/causes';
import type { CameraStatus } from '@common/domain';

export type FailureStatus = Extract<CameraStatus, 'auth_failed' | 'unreachable' | 'unsupported' | 'offline'>;

export interface Classification {
  status: FailureStatus;
  cause: StatusCause;
  /** The matching stderr line, scrubbed (detailLine). */
  detail: string;
}

const RULES: Array<[RegExp, FailureStatus, StatusCause]> = [
  [/401 Unauthorized|403 Forbidden|authorization failed/i, 'auth_failed', C.credentialsRejected],
  [/Invalid data found when processing input/i, 'unsupported', C.invalidData],
  [/(unsupported|unknown) codec|codec not currently supported in container|Could not find codec parameters|matches no streams|not supported by the (flv|mp4|hls) muxer/i, 'unsupported', C.unsupportedCodec],
  [/415 Unsupported Media Type|461 Unsupported transport/i, 'unsupported', C.mediaRefused],
  [/Connection refused/i, 'unreachable', C.connectionRefused],
  [/No route to host|Network is unreachable|Host is unreachable/i, 'unreachable', C.noRoute],
  [/Name or service not known|Temporary failure in name resolution|Failed to resolve hostname/i, 'unreachable', C.hostNotResolved],
  [/404 Not Found/i, 'unreachable', C.pathNotFound],
  [/timed out|Timeout|504 Gateway/i, 'offline', C.timeout],
  [/Connection reset by peer|End of file|Broken pipe|5\d\d [A-Z]/i, 'offline', C.connectionClosed],
];

/** One stderr line fit for the status history: no `@ 0x5649…` addresses, trimmed, capped. */
export function detailLine(line: string): string {
  return line
    .replace(/\s*@\s*0x[0-9a-f]+/gi, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

export function classifyStderr(lines: readonly string[]): Classification | null {
  for (const [re, status, cause] of RULES) {
    const hit = lines.find((l) => re.test(l));
    if (hit !== undefined) return { status, cause, detail: detailLine(hit) };
  }
  return null;
}

/** Why an attempt ended when no rule matched: exit 0 is the camera ending the stream. */
export function unclassifiedExit(e: { code: number | null; signal: NodeJS.Signals | null }, tail: readonly string[]): { cause: StatusCause; detail: string } {
  const exitText = e.signal ? `ffmpeg killed by ${e.signal}` : `ffmpeg exited with code ${e.code}`;
  const last = tail.length ? detailLine(tail[tail.length - 1]!) : '';
  return { cause: e.code === 0 && !e.signal ? C.streamEnded : C.ingestFailed, detail: last ? `${exitText}: ${last}` : exitText };
}
