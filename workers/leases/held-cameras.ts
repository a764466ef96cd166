/**
 * The one owner of this worker's per-camera ingest state: whether the lease is held, its fencing
 * token, and the spec its ingest runs. The LeaseManager takes and lets go of entries; the ingest
 * runtime sets specs. A lost camera stays (not held, no spec) with its token until forget(), so
 * the statuses written while its ingest stops still carry the token.
 */
import type { Lease } from './lease-store';

interface Entry<S> {
  token: number;
  held: boolean;
  spec: S | null;
}

export class HeldCameras<S = unknown> {
  private readonly entries = new Map<string, Entry<S>>();

  take(lease: Lease): void {
    this.entries.set(lease.cameraId, { token: lease.token, held: true, spec: null });
  }

  /** The lease is being lost: not held any more, spec dropped, token kept until forget(). */
  letGo(cameraId: string): void {
    const e = this.entries.get(cameraId);
    if (e) Object.assign(e, { held: false, spec: null });
  }

  forget(cameraId: string): void {
    this.entries.delete(cameraId);
  }

  isHeld(cameraId: string): boolean {
    return this.entries.get(cameraId)?.held === true;
  }

  /** Cameras held right now. */
  ids(): string[] {
    return [...this.entries].filter(([, e]) => e.held).map(([id]) => id);
  }

  leases(): Lease[] {
    return [...this.entries].filter(([, e]) => e.held).map(([cameraId, e]) => ({ cameraId, token: e.token }));
  }

  /** The token of a camera held now or still stopping. */
  tokenOf(cameraId: string): number | undefined {
    return this.entries.get(cameraId)?.token;
  }

  /** Sets the spec of a held camera; false when it is not held (lost meanwhile). */
  setSpec(cameraId: string, spec: S): boolean {
    const e = this.entries.get(cameraId);
    if (!e?.held) return false;
    e.spec = spec;
    return true;
  }

  /** The spec of a camera held now, or null. */
  specOf(cameraId: string): S | null {
    const e = this.entries.get(cameraId);
    return e?.held ? (e.spec ?? null) : null;
  }

  /** Drops a camera's spec; true when it had one (its ingest must stop). */
  dropSpec(cameraId: string): boolean {
    const e = this.entries.get(cameraId);
    if (!e?.spec) return false;
    e.spec = null;
    return true;
  }

  /** Specs of the held cameras whose ingest should run. */
  specs(): S[] {
    return [...this.entries.values()].flatMap((e) => (e.held && e.spec ? [e.spec] : []));
  }
}
