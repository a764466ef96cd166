/** Hashing as bytes stream by (never held in memory whole): a stream read to its end, or a pass-through. */
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';

export async function hashStream(stream: Readable): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    h.update(b);
    bytes += b.length;
  }
  return { sha256: h.digest('hex'), bytes };
}

/** A pass-through that hashes and counts what flows through it; `result()` once it has ended. */
export function hashingPassThrough(): Transform & { result(): { sha256: string; bytes: number } } {
  const h = createHash('sha256');
  let bytes = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      h.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  }) as Transform & { result(): { sha256: string; bytes: number } };
  let digest: string | null = null;
  t.result = () => ({ sha256: (digest ??= h.digest('hex')), bytes });
  return t;
}

/** Capped exponential backoff: 2 s, 4 s, 8 s ... never more than `maxMs` (attempts start at 1). */
export function retryDelay(attempts: number, maxMs: number, baseMs = 2_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
}
