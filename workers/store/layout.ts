/**
 * The recording layout outside the worker's disk: keys, not paths. A cached segment is named by a
 * key relative to the cache root (`<cameraId>/<file>`); its archive object by a key derived from
 * camera and start time (`recordings/<cameraId>/<yyyy>/<mm>/<dd>/<yyyyMMddTHHmmss.SSSZ>.mp4`).
 * Pure functions: the database stores these keys; only store/ turns a cache key into a path.
 */
import { assertSafeCameraId } from './safe-id';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 20240102T030405.123Z */
export function formatStartStamp(d: Date): string {
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`;
}

/** The S3 object key of a camera's segment starting at `start`. */
export function recordingObjectKey(cameraId: string, start: Date): string {
  assertSafeCameraId(cameraId);
  if (Number.isNaN(start.getTime())) throw new Error('invalid segment start');
  return `recordings/${cameraId}/${start.getUTCFullYear()}/${pad(start.getUTCMonth() + 1)}/${pad(start.getUTCDate())}/${formatStartStamp(start)}.mp4`;
}

/** Prefix of all of a camera's objects (listing). */
export function recordingObjectPrefix(cameraId: string): string {
  assertSafeCameraId(cameraId);
  return `recordings/${cameraId}/`;
}

const CACHE_FILE = /^\d{8}-\d{6}\.mp4$/;

/** `<cameraId>/<file>`: the cache copy's key (relative to the cache root, same on every node). */
export function cacheKeyOf(cameraId: string, fileName: string): string {
  assertSafeCameraId(cameraId);
  if (!CACHE_FILE.test(fileName)) throw new Error(`not a cache segment name: ${JSON.stringify(fileName)}`);
  return `${cameraId}/${fileName}`;
}

/** Splits a cache key back; null when it is not one of ours (never a path that escapes the cache). */
export function parseCacheKey(key: string): { cameraId: string; fileName: string } | null {
  const [cameraId, fileName, ...rest] = key.split('/');
  if (rest.length || !cameraId || !fileName || !CACHE_FILE.test(fileName)) return null;
  try {
    assertSafeCameraId(cameraId);
  } catch {
    return null;
  }
  return { cameraId, fileName };
}
