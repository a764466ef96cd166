/**
 * Evidence and chain of custody: evidence items under legal hold, the custody log, signed export
 * packages and their verification. Takes the incidents' access rule and the clips as ports
 * (server/incidents/ports.ts); `buildEvidenceModule` wires the repositories once.
 */
import { join } from 'node:path';
import { Router } from 'express';
import type { Loops } from '@common/loops';
import type { AppContext } from '@server/context';
import { findCamera } from '@server/cameras/repository';
import { publicOrigin } from '@server/http/origins';
import type { ClipSource, FootageGate, IncidentAccess } from '@server/incidents/ports';
import { LegalHoldRepository } from '@server/recordings/holds';
import { RecordingsRepository } from '@server/recordings/repository';
import { createIngestStore } from '@workers/store/paths';
import { CustodyLogRepository } from './custody-log';
import { exportRoutes } from './export-routes';
import { ExportsRepository } from './exports-repository';
import { ExportService } from './exports-service';
import { EvidenceItemsRepository } from './items-repository';
import { EvidenceService } from './items-service';
import type { ManifestCamera } from './manifest';
import { evidenceRoutes } from './routes';
import { segmentFiles } from './segment-files';
import type { SigningKey } from './signing-key';

export interface EvidencePorts {
  incidents: IncidentAccess;
  clips: ClipSource;
  /** The owner's sharing choice (household and shopfront cameras); none: every range is open. */
  footage?: Pick<FootageGate, 'check'>;
}

export interface EvidenceModule {
  custody: CustodyLogRepository;
  items: EvidenceItemsRepository;
  service: EvidenceService;
  exports: ExportService;
  routes(): Router;
  /** One pass: exports whose process died (no heartbeat for EXPORT_ABANDONED_MS) become failed. */
  recoverAbandoned(): Promise<number>;
  /** The `evidence.exports-recovery` loop: at start-up and every EXPORT_RECOVERY_MS. */
  start(loops: Loops): { stop(): Promise<void> };
  /** Stops waiting exports and waits for packages being built. */
  close(): Promise<void>;
}

/** A building export renews its heartbeat this often (a waiting one looks for its segments again). */
export const EXPORT_HEARTBEAT_MS = 5_000;
/** An export with no heartbeat for this long was abandoned by a process that died. */
export const EXPORT_ABANDONED_MS = 60_000;
export const EXPORT_RECOVERY_MS = 30_000;
/** How long an export waits for segments cached on another worker to reach the archive. */
export const EXPORT_ARCHIVE_WAIT_MS = 10 * 60_000;

/** Largest package accepted by POST /evidence/verify. */
const MAX_UPLOAD_BYTES = 8 * 1024 ** 3;

export function buildEvidenceModule(ctx: Pick<AppContext, 'database' | 'store' | 'clock' | 'config' | 'logger'>, key: SigningKey, ports: EvidencePorts): EvidenceModule {
  const { database } = ctx;
  const custody = new CustodyLogRepository(database);
  const items = new EvidenceItemsRepository(database);
  const now = () => ctx.clock.now();
  const tmpDir = join(ctx.config.dataDir, 'tmp', 'evidence');
  const recordings = new RecordingsRepository(database);
  const service = new EvidenceService({
    database, items, holds: new LegalHoldRepository(database), recordings, custody, incidents: ports.incidents, clips: ports.clips, footage: ports.footage, now,
  });
  const cameras = async (ids: string[]): Promise<ManifestCamera[]> =>
    Promise.all(
      ids.map(async (id) => {
        const c = await findCamera(database.db, id);
        return { id, name: c?.name ?? null, lat: c?.lat ?? null, lon: c?.lon ?? null, address: c?.address ?? null };
      }),
    );
  const exportsRepo = new ExportsRepository(database);
  const exports = new ExportService({
    database, exports: exportsRepo, items, custody, incidents: ports.incidents, clips: ports.clips, objects: ctx.store, key, cameras, tmpDir, now, log: ctx.logger,
    segments: segmentFiles({ recordings, store: createIngestStore(ctx.config.dataDir), objects: ctx.store }),
    heartbeatMs: EXPORT_HEARTBEAT_MS, archiveWaitMs: EXPORT_ARCHIVE_WAIT_MS,
  });
  const recoverAbandoned = async () => {
    const n = await exportsRepo.failAbandoned(EXPORT_ABANDONED_MS);
    if (n) ctx.logger.warn({ module: 'evidence', exports: n }, 'export packages abandoned by a stopped process marked failed');
    return n;
  };
  return {
    custody,
    items,
    service,
    exports,
    routes: () => {
      const r = Router();
      r.use(evidenceRoutes(service));
      r.use(exportRoutes({ exports, database, custody, key, publicOrigin: publicOrigin(ctx.config.http), tmpDir, maxUploadBytes: MAX_UPLOAD_BYTES }));
      return r;
    },
    recoverAbandoned,
    start: (loops) => loops.add('evidence.exports-recovery', EXPORT_RECOVERY_MS, () => recoverAbandoned(), { firstRunMs: 0 }),
    close: () => exports.close(),
  };
}
