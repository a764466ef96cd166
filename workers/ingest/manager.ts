/**
 * Holds one Supervisor per camera id. sync() starts new or changed cameras and stops removed or
 * disabled ones; closeAll() stops everything cleanly (SIGTERM finalises open segments).
 */
import { STATUS_CAUSES } from '@common/causes';
import type { CameraStatus } from '@common/domain';
import type { CameraStatusEvent } from '@common/events';
import { specKey, type IngestCameraSpec } from './spec';
import type { Supervisor } from './supervisor';

export interface IngestManagerDeps {
  createSupervisor(spec: IngestCameraSpec): Supervisor;
  onStatus: (e: CameraStatusEvent) => void;
  now?: () => number;
}

export class IngestManager {
  private readonly supervisors = new Map<string, { key: string; sup: Supervisor }>();
  private readonly disabled = new Set<string>();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: IngestManagerDeps) {}

  /** Makes the running set match `cameras`. Calls are serialised. */
  sync(cameras: readonly IngestCameraSpec[]): Promise<void> {
    const run = this.chain.then(() => this.doSync(cameras));
    this.chain = run.catch(() => undefined);
    return run;
  }

  closeAll(): Promise<void> {
    const run = this.chain.then(() => this.doSync([]));
    this.chain = run.catch(() => undefined);
    return run;
  }

  statuses(): Map<string, CameraStatus> {
    const out = new Map<string, CameraStatus>();
    for (const [id, { sup }] of this.supervisors) out.set(id, sup.status);
    for (const id of this.disabled) out.set(id, 'disabled');
    return out;
  }

  supervisor(cameraId: string): Supervisor | undefined {
    return this.supervisors.get(cameraId)?.sup;
  }

  private async doSync(cameras: readonly IngestCameraSpec[]): Promise<void> {
    const wanted = new Map(cameras.map((c) => [c.id, c]));
    const stops: Array<Promise<void>> = [];
    for (const [id, { key, sup }] of this.supervisors) {
      const spec = wanted.get(id);
      if (!spec || spec.enabled === false || specKey(spec) !== key) {
        this.supervisors.delete(id);
        stops.push(sup.stop());
      }
    }
    await Promise.all(stops);
    for (const id of [...this.disabled]) if (!wanted.has(id) || wanted.get(id)?.enabled !== false) this.disabled.delete(id);
    for (const spec of cameras) {
      if (spec.enabled === false) {
        if (!this.disabled.has(spec.id)) {
          this.disabled.add(spec.id);
          const at = new Date((this.deps.now ?? Date.now)()).toISOString();
          this.deps.onStatus({ cameraId: spec.id, status: 'disabled', cause: STATUS_CAUSES.cameraDisabled, at });
        }
        continue;
      }
      if (this.supervisors.has(spec.id)) continue;
      const sup = this.deps.createSupervisor(spec);
      this.supervisors.set(spec.id, { key: specKey(spec), sup });
      sup.start();
    }
  }
}
