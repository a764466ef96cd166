/**
 * The playback-token HMAC key: SKYEYE_PLAYBACK_SECRET, or a random key generated once into
 * <dataDir>/secrets/playback-secret (mode 0600) and reused, so tokens survive a restart.
 * Every api process of a multi-machine deployment must share it: set the environment there.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function playbackSecretPath(dataDir: string): string {
  return join(dataDir, 'secrets', 'playback-secret');
}

export function resolvePlaybackSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = playbackSecretPath(dataDir);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (e) {
    // Another process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw e;
  }
}
