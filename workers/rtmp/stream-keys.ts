/**
 * Per-camera RTMP push stream keys. A key is 32 random bytes (base64url); only its SHA-256 is
 * stored. A slow password hash is not needed: the key is high-entropy, never chosen by a person.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const KEY_PREFIX = 'sk_';

export function generateStreamKey(): string {
  return KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** Hex SHA-256 of the key, bound to the camera so a stored hash can't be replayed for another camera. */
export function hashStreamKey(cameraId: string, key: string): string {
  return createHash('sha256').update(`skyeye-push-key\0${cameraId}\0${key}`).digest('hex');
}

/** Constant-time comparison of a presented key against the stored hash. */
export function verifyStreamKey(cameraId: string, key: string | undefined, storedHash: string | null | undefined): boolean {
  if (!key || !storedHash || key.length > 256) return false;
  const a = Buffer.from(hashStreamKey(cameraId, key), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
