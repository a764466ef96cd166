/**
 * Turns the tail of ffmpeg's (scrubbed) stderr into a camera status, a stable cause phrase
 * (common/causes.ts, translated by the console) and the raw line as detail (for the status
 * history), without ffmpeg's memory addresses. The first rule that matches any line wins; rules
 * are ordered most specific first.
 * The ring keeps what ffmpeg printed while it opened the camera (e.g. `Could not find codec
 * parameters` for an audio track it then drops) for as long as the attempt lasts: for an attempt
 * that went live the supervisor classifies only the lines written since (linesAfter), and the
 * start-up-only rules are skipped (`{ afterLive: true }`), so a start-up warning cannot decide the
 * cause of a drop hours later.
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

/** Rules marked start-up only match what ffmpeg prints while it opens the input and outputs, never after. */
const RULES: Array<[re: RegExp, status: FailureStatus, cause: StatusCause, startupOnly?: true]> = [
  [/401 Unauthorized|403 Forbidden|authorization failed/i, 'auth_failed', C.credentialsRejected],
  [/Invalid data found when processing input/i, 'unsupported', C.invalidData],
  [/(unsupported|unknown) codec|codec not currently supported in container|Could not find codec parameters|matches no streams|not supported by the (flv|mp4|hls) muxer/i, 'unsupported', C.unsupportedCodec, true],
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

/** `afterLive`: the attempt has written output, so start-up-only rules cannot explain its end. */
export function classifyStderr(lines: readonly string[], opts: { afterLive?: boolean } = {}): Classification | null {
  for (const [re, status, cause, startupOnly] of RULES) {
    if (startupOnly && opts.afterLive) continue;
    const hit = lines.find((l) => re.test(l));
    if (hit !== undefined) return { status, cause, detail: detailLine(hit) };
  }
  return null;
}

/**
 * The lines of `now` written after `before` was taken, both tails of one capped ring (lines leave
 * at the front only): `now` is a suffix of `before` followed by the new lines. The longest overlap
 * is taken, so a new line identical to an old one right at the seam counts as old.
 */
export function linesAfter(before: readonly string[], now: readonly string[]): string[] {
  for (let k = 0; k < before.length; k++) {
    const kept = before.length - k;
    if (kept > now.length) continue;
    let same = true;
    for (let i = 0; same && i < kept; i++) same = before[k + i] === now[i];
    if (same) return now.slice(kept);
  }
  return now.slice();
}

/** Why an attempt ended when no rule matched: exit 0 is the camera ending the stream. */
export function unclassifiedExit(e: { code: number | null; signal: NodeJS.Signals | null }, tail: readonly string[]): { cause: StatusCause; detail: string } {
  const exitText = e.signal ? `ffmpeg killed by ${e.signal}` : `ffmpeg exited with code ${e.code}`;
  const last = tail.length ? detailLine(tail[tail.length - 1]!) : '';
  return { cause: e.code === 0 && !e.signal ? C.streamEnded : C.ingestFailed, detail: last ? `${exitText}: ${last}` : exitText };
}
