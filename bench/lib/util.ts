/** Small helpers: abortable sleep, waiting for a condition, summary statistics and percentiles. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Polls `cond` every 50 ms until true (-> true) or timeoutMs passes (-> false). */
export async function waitFor(cond: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) return false;
    await sleep(50, signal);
  }
  return true;
}

export interface Stats {
  n: number;
  median: number;
  mean: number;
  min: number;
  max: number;
}

export function stats(xs: readonly number[]): Stats | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return {
    n: s.length,
    median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    min: s[0]!,
    max: s.at(-1)!,
  };
}

/** Nearest-rank percentile (p in 0..100); null for no samples. */
export function percentile(xs: readonly number[], p: number): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
