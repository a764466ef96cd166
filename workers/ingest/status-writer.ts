/**
 * Camera status from this worker's supervisors into the registry (through the FencedStatusWrite
 * port; the app writes cameras.status, history and the bus event), in order per camera and only while
 * this worker still holds the camera's lease with the token it was given (checked in the write's
 * own transaction): a stale worker that lost its lease writes nothing.
 */
import type { CameraStatus } from '@common/domain';
import type { CameraStatusEvent } from '@common/events';
import type { Log } from '@common/log';
import type { FencedStatusWrite } from './ports';

export interface StatusWriterDeps {
  workerId: string;
  updateStatus: FencedStatusWrite;
  tokenOf(cameraId: string): number | undefined;
  log: Pick<Log, 'warn' | 'debug'>;
}

export interface SaidStatus {
  status: CameraStatus;
  cause: string | null;
}

export class FencedStatusWriter {
  private readonly chains = new Map<string, Promise<void>>();
  /** What this worker last said about each camera it ingests (to put it back if someone else overwrote it). */
  private readonly said = new Map<string, SaidStatus>();

  constructor(private readonly deps: StatusWriterDeps) {}

  /** Queues a supervisor's status change (called synchronously from onStatus). */
  report(e: CameraStatusEvent): void {
    const token = this.deps.tokenOf(e.cameraId);
    this.said.set(e.cameraId, { status: e.status, cause: e.cause });
    void this.enqueue(e.cameraId, () => this.write(e.cameraId, e.status, e.cause, token, e.detail ?? null));
  }

  /** Writes now (in order after anything queued); false when fenced or unchanged. */
  writeNow(cameraId: string, status: CameraStatus, cause: string | null, token: number | undefined): Promise<boolean> {
    let result = false;
    return this.enqueue(cameraId, async () => {
      result = await this.write(cameraId, status, cause, token);
    }).then(() => result);
  }

  /** The camera's last status from this worker (undefined once forgotten). */
  lastSaid(cameraId: string): SaidStatus | undefined {
    return this.said.get(cameraId);
  }

  /** The camera left this worker: nothing to put back any more. */
  forget(cameraId: string): void {
    this.said.delete(cameraId);
  }

  /** Resolves when every write queued so far for the camera is done. */
  idle(cameraId: string): Promise<void> {
    return this.chains.get(cameraId) ?? Promise.resolve();
  }

  private enqueue(cameraId: string, fn: () => Promise<unknown>): Promise<void> {
    const next = (this.chains.get(cameraId) ?? Promise.resolve()).then(fn).then(
      () => undefined,
      (err: unknown) => this.deps.log.warn({ cameraId, err }, 'camera status not written'),
    );
    this.chains.set(cameraId, next);
    void next.then(() => {
      if (this.chains.get(cameraId) === next) this.chains.delete(cameraId);
    });
    return next;
  }

  private async write(cameraId: string, status: CameraStatus, cause: string | null, token: number | undefined, detail: string | null = null): Promise<boolean> {
    if (token === undefined) {
      this.deps.log.debug?.({ cameraId, status }, 'status not written: no lease held');
      return false;
    }
    return this.deps.updateStatus(cameraId, status, cause, { workerId: this.deps.workerId, token }, detail);
  }
}
