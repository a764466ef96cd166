/**
 * The port through which a LeaseManager keeps its leases. Declared here, in the ingest core,
 * and implemented by the app (server/leases/lease-repository.ts over PostgreSQL or PGlite).
 */

export interface Lease {
  cameraId: string;
  /** Fencing token: every write made under the lease carries it and is checked against it. */
  token: number;
}

export interface LeaseStore {
  heartbeat(workerId: string, baseUrl: string | null): Promise<void>;
  /** Extends this worker's unexpired leases; returns those it still holds. */
  renew(workerId: string, ttlMs: number): Promise<Lease[]>;
  /** Live workers (heartbeat within `aliveMs`) and cameras to ingest. */
  census(aliveMs: number): Promise<{ workers: number; cameras: number }>;
  /**
   * Milliseconds until the first unexpired lease of another, silent worker (no heartbeat within
   * `silentMs`, or none left) expires — when this worker can take it over; null when none.
   */
  nextTakeoverMs(workerId: string, silentMs: number): Promise<number | null>;
  /** Takes up to `limit` cameras to ingest that have no lease or an expired one. */
  acquire(workerId: string, limit: number, ttlMs: number): Promise<Lease[]>;
  /** Leases of this worker whose camera is no longer to be ingested. */
  unapproved(workerId: string): Promise<string[]>;
  /** Hands leases back: expired at once (marked released) for others to take. */
  release(workerId: string, cameraIds: string[]): Promise<void>;
  /** A graceful stop begins: the worker's heartbeat goes, so others count it out of the fair share. */
  leave(workerId: string): Promise<void>;
  /** Hands back all of this worker's leases and drops its heartbeat. */
  retire(workerId: string): Promise<void>;
}
