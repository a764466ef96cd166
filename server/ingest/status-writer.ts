/**
 * Camera status from this worker's supervisors into the registry (cameras.status, history, bus
 * 'camera:status' — all done by CamerasService.updateStatus), in order per camera and only while
 * this worker still holds the camera's lease with the token it was given (checked in the write's
 * own transaction): a stale worker that lost its lease writes nothing.
 */
import type { CameraStatus } from '@common/domain';
import type { CameraStatusEvent } from '@common/events';

export interface StatusWriterDeps {
  workerId: string;
  /**
   * Writes the status only while `lease` is held, checked in the same transaction as the write
   * (so a takeover cannot slip in between); false when fenced or unchanged.
   */
  updateStatus(cameraId: string, status: CameraStatus, cause: string | null, lease: { workerId: string; token: number }): Promise<boolean>;
  tokenOf(cameraId: string): number | undefined;
  log: { warn(obj: object, msg: string): void; debug?(obj: object, msg: string): void };
}

export class FencedStatusWriter {
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly deps: StatusWriterDeps) {}

  /** Queues a supervisor's status change (called synchronously from onStatus). */
  report(e: CameraStatusEvent): void {
    const token = this.deps.tokenOf(e.cameraId);
    this.enqueue(e.cameraId, () => this.write(e.cameraId, e.status, e.cause, token));
  }

  /** Writes now (in order after anything queued); false when fenced or unchanged. */
  writeNow(cameraId: string, status: CameraStatus, cause: string | null, token: number | undefined): Promise<boolean> {
    let result = false;
    return this.enqueue(cameraId, async () => {
      result = await this.write(cameraId, status, cause, token);
    }).then(() => result);
  }

  /** Resolves when every write queued so far for the camera is done. */
  idle(cameraId: string): Promise<void> {
    return this.chains.get(cameraId) ?? Promise.resolve();
  }

  private enqueue(cameraId: string, fn: () => Promise<unknown>): Promise<void> {
    const next = (this.chains.get(cameraId) ?? Promise.resolve()).then(fn).then(
      () => undefined,
      (err: unknown) => this.deps.log.warn({ cameraId, err: (err as Error).message }, 'camera status not written'),
    );
    this.chains.set(cameraId, next);
    void next.then(() => {
      if (this.chains.get(cameraId) === next) this.chains.delete(cameraId);
    });
    return next;
  }

  private async write(cameraId: string, status: CameraStatus, cause: string | null, token: number | undefined): Promise<boolean> {
    if (token === undefined) {
      this.deps.log.debug?.({ cameraId, status }, 'status not written: no lease held');
      return false;
    }
    return this.deps.updateStatus(cameraId, status, cause, { workerId: this.deps.workerId, token });
  }
}
