/**
 * Limits for Sky Eye's worker threads (the PGlite database, the embedded S3 server). Their
 * JavaScript mostly relays messages and bytes: a young generation of 16 MiB instead of V8's default
 * (up to 128 MiB on a large machine, resident once touched) is plenty, and each thread has its own.
 * The main thread gets the same through `--max-semi-space-size=16` (scripts/start.sh, Dockerfile).
 */
export const THREAD_LIMITS = { maxYoungGenerationSizeMb: 16 } as const;
