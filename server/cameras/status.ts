/**
 * Camera health reported by ingest workers, its history, and the ingest specs workers run
 * (with decrypted credentials: in-process only, never over HTTP, never logged).
 */
import type { CameraStatus } from '@common/domain';
import type { AuthUser } from '@server/auth/types';
import type { Db } from '@server/db/database';
import { notFound } from '@server/http/problem';
import { decodeCursor, encodeCursor } from './cursor';
import type { CameraRow } from './repository';
import { CameraBulk } from './import';
import { merchantCause } from './mapper';
import { scopeOf } from './service';

export interface IngestSpec {
  id: string;
  name: string;
  kind: string;
  rtspUrl: string | null;
  rtspSubUrl: string | null;
  onvifUrl: string | null;
  transport: 'tcp' | 'udp';
  liveVideo: 'copy' | 'h264';
  /** Decrypted credentials; null when the camera has none (or they could not be decrypted). */
  credentials: { username: string; password: string } | null;
  /** Whether the RTSP auth proxy may answer a Basic-only camera (off unless an operator allowed it). */
  allowBasicAuth?: boolean;
  recording: { mode: 'continuous' | 'off'; retentionDays: number };
  ownerUserId: string | null;
  version: number;
}

export interface StatusHistoryItem {
  status: string;
  cause: string | null;
  /** The raw, scrubbed line behind the cause (ffmpeg stderr, exit), when there was one. */
  detail: string | null;
  at: string;
  workerId: string | null;
}

export class CamerasService extends CameraBulk {
  /**
   * Records a status change from a worker: cameras.status/status_cause/status_changed_at and a
   * camera_status_history row in one transaction, then 'camera:status' on the bus. Repeating
   * the current status and cause is a no-op (returns false). `guard` runs first in the same
   * transaction (an ingest worker's lease check, which also holds the lease against takeover
   * until the write commits); when it says no, nothing is written (returns false). `detail` goes
   * to the history row only.
   */
  async updateStatus(cameraId: string, status: CameraStatus, cause: string | null, workerId?: string, guard?: (tx: Db) => Promise<boolean>, detail?: string | null): Promise<boolean> {
    const changed = await this.db.transaction(async (tx) => {
      // Locks in the order lease acquisition takes them (camera row, then lease row), so a
      // worker's status write and another worker's takeover wait for each other, never deadlock.
      if (guard && (!(await this.repo.lockCamera(tx, cameraId)) || !(await guard(tx)))) return undefined;
      const r = await this.repo.setStatus(tx, cameraId, status, cause);
      if (r) await this.repo.insertStatusHistory(tx, cameraId, status, cause, workerId ?? null, r.at, detail ?? null);
      return r;
    });
    if (!changed) return false;
    this.deps.ctx.bus.publish('camera:status', { cameraId, ownerUserId: changed.ownerUserId, status, cause, at: new Date(changed.at).toISOString() });
    return true;
  }

  async statusHistory(user: AuthUser, cameraId: string, limit: number, cursor?: string): Promise<{ items: StatusHistoryItem[]; nextCursor: string | null }> {
    if (!(await this.repo.findCamera(this.db, cameraId, scopeOf(user)))) throw notFound('Camera');
    const before = cursor ? decodeCursor(cursor, 'h').id : undefined;
    const rows = await this.repo.statusHistory(this.db, cameraId, limit + 1, before);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => {
        const merchant = user.role === 'merchant'; // merchants see no network detail
        return { status: r.status, cause: merchant ? merchantCause(r.status, r.cause) : r.cause, detail: merchant ? null : r.detail, at: new Date(r.at).toISOString(), workerId: r.workerId };
      }),
      nextCursor: rows.length > limit && last ? encodeCursor({ k: 'h', id: last.id }) : null,
    };
  }

  /** Current status and cause of the given cameras (an ingest worker checks its own cameras). */
  statusesOf(ids: string[]): Promise<Array<{ id: string; status: string; cause: string | null }>> {
    return this.repo.statusesOf(this.db, ids);
  }

  /** Cameras by live status and enrollment state, whole fleet (for /metrics). */
  fleetCounts(): Promise<Array<{ status: string; enrollment: string; n: number }>> {
    return this.repo.statusCounts(this.db);
  }

  /** Approved cameras (optionally only `ids`) with decrypted credentials, for the ingest worker. */
  async getIngestSpecs(ids?: string[]): Promise<IngestSpec[]> {
    const rows = await this.repo.approvedCameras(this.db, ids);
    return rows.map((r) => this.specOf(r));
  }

  /** One camera with decrypted credentials, whatever its enrollment state (a staff preview); 404 if none. */
  async previewSpec(id: string): Promise<IngestSpec> {
    const row = await this.repo.findCamera(this.db, id);
    if (!row) throw notFound('Camera');
    return this.specOf(row);
  }

  private specOf(r: CameraRow): IngestSpec {
    let credentials: IngestSpec['credentials'] = null;
    if (r.credentialsUsername !== null) {
      try {
        credentials = { username: r.credentialsUsername, password: r.credentialsSecret ? this.deps.keyring.decrypt(r.credentialsSecret) : '' };
      } catch (e) {
        this.deps.ctx.logger.error({ cameraId: r.id, err: e }, 'camera credentials cannot be decrypted: give every api and worker process the same SKYEYE_CREDENTIAL_KEYS (ingest goes on without credentials)');
      }
    }
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      rtspUrl: r.rtspUrl,
      rtspSubUrl: r.rtspSubUrl,
      onvifUrl: r.onvifUrl,
      transport: r.transport as IngestSpec['transport'],
      liveVideo: r.liveVideo as IngestSpec['liveVideo'],
      credentials,
      allowBasicAuth: r.allowBasicAuth,
      recording: { mode: r.recordingMode as IngestSpec['recording']['mode'], retentionDays: r.retentionDays },
      ownerUserId: r.ownerUserId,
      version: r.version,
    };
  }
}
