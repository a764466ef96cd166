/**
 * Every lease timing derives from `ingest.leaseTtl` here, so workers and the unattended check
 * agree on them:
 * - roundMs: a worker's lease round (heartbeat, renew, census, acquire), ttl/3;
 * - silentMs: a worker with no heartbeat for this long is silent (one round missed plus slack):
 *   its cameras are reported offline at once, and others wait for its leases to expire to take them;
 * - graceMs: how long a released lease (a planned move) may stay untaken before its camera is
 *   reported offline;
 * - watchMs: how often every process runs the unattended check;
 * - pruneMs: heartbeats older than this are dead workers' rows and are deleted.
 */
export interface LeaseTiming {
  ttlMs: number;
  roundMs: number;
  silentMs: number;
  graceMs: number;
  watchMs: number;
  pruneMs: number;
}

export function leaseTiming(ttlMs: number): LeaseTiming {
  const roundMs = Math.max(250, Math.floor(ttlMs / 3));
  return {
    ttlMs,
    roundMs,
    silentMs: roundMs + Math.max(1000, Math.floor(roundMs / 2)),
    graceMs: roundMs,
    watchMs: Math.min(roundMs, 2000),
    pruneMs: Math.max(10 * ttlMs, 60_000),
  };
}
