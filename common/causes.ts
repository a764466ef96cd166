/**
 * Camera status causes: a closed set of stable English phrases. The API and socket.io carry the
 * phrase (cameras.status_cause, status history); the console translates it by its code
 * (i18n key `cause.<code>`); the raw, scrubbed ffmpeg line goes to the history's `detail`.
 */
export const STATUS_CAUSES = {
  credentialsRejected: 'camera rejected the credentials',
  invalidData: 'invalid or unsupported stream data',
  unsupportedCodec: 'unsupported codec or stream layout',
  mediaRefused: 'camera refused the media or transport',
  connectionRefused: 'connection refused',
  noRoute: 'no route to host',
  hostNotResolved: 'host name not resolved',
  pathNotFound: 'stream path not found on the camera',
  timeout: 'camera stopped answering (timeout)',
  connectionClosed: 'camera closed the connection',
  streamEnded: 'camera ended the stream',
  timestampJump: 'camera timestamps jumped backwards',
  noVideo: 'no video from the camera',
  ingestFailed: 'ingest process failed',
  ingestNotStarted: 'ingest could not start',
  cameraDisabled: 'camera disabled',
  noSource: 'camera has no RTSP URL and no RTMP push key',
  notApproved: 'camera is not approved (suspended, rejected or pending)',
  workerStopped: 'ingest worker stopped',
  noWorker: 'no ingest worker holds this camera',
  workerLost: 'no ingest worker: its worker stopped renewing the lease and none has taken over',
} as const;

export type StatusCauseCode = keyof typeof STATUS_CAUSES;
export type StatusCause = (typeof STATUS_CAUSES)[StatusCauseCode];

const BY_PHRASE = new Map<string, StatusCauseCode>(Object.entries(STATUS_CAUSES).map(([k, v]) => [v, k as StatusCauseCode]));

/** The code of a known cause phrase, or null (an older free-text cause). */
export function causeCode(cause: string | null | undefined): StatusCauseCode | null {
  return cause ? (BY_PHRASE.get(cause) ?? null) : null;
}
