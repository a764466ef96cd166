/** Storage of scans, discovered devices and re-discovery proposals (the only discovery code that talks to the database). */
import { and, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { DiscoveredDeviceView, DiscoveredProfile, DiscoveryError, DiscoveryProposalView, ScanMethod, ScanStatus } from '@common/discovery';
import { queryRows, type Db } from '@server/db/database';
import { cameras, discoveredDevices, discoveryProposals, discoveryScans } from '@server/db/schema/index';
import type { FoundDevice } from './scanner';

export type ScanRow = typeof discoveryScans.$inferSelect;
export type DeviceRow = typeof discoveredDevices.$inferSelect;
export type ProposalRow = typeof discoveryProposals.$inferSelect;
export type Changes = Record<string, { from: string | null; to: string | null }>;
export interface ScanFailure {
  address: string;
  message: string;
}

/** Per-device failures kept on a scan row (the count is always exact in the log). */
export const MAX_SCAN_FAILURES = 100;

export function deviceView(r: DeviceRow): DiscoveredDeviceView {
  return {
    id: r.id,
    scanId: r.scanId,
    endpoint: r.endpointReference,
    address: r.address,
    onvifUrl: r.onvifUrl,
    xaddrMismatch: r.xaddrMismatch,
    manufacturer: r.manufacturer,
    model: r.model,
    firmware: r.firmware,
    serial: r.serial,
    profiles: (r.profiles ?? []) as DiscoveredProfile[],
    streamUris: { main: r.rtspMainUrl, sub: r.rtspSubUrl },
    snapshotUri: r.snapshotUri,
    hasPtz: r.hasPtz,
    clockOffsetMs: r.clockOffsetMs,
    error: r.error as DiscoveryError | null,
    errorDetail: r.errorDetail,
    state: r.state as DiscoveredDeviceView['state'],
    cameraId: r.cameraId,
    changes: (r.changes ?? {}) as DiscoveredDeviceView['changes'],
    mediaHostMismatch: r.mediaHostMismatch,
    identityClash: r.identityClash,
    foundAt: r.foundAt.toISOString(),
  };
}

export function proposalView(p: ProposalRow, device: DeviceRow | undefined): DiscoveryProposalView {
  return {
    id: p.id,
    cameraId: p.cameraId,
    deviceId: p.deviceId,
    kind: p.kind as DiscoveryProposalView['kind'],
    address: p.address,
    endpoint: p.endpointReference,
    changes: p.changes as Changes,
    mediaHostMismatch: device?.mediaHostMismatch ?? false,
    status: p.status as DiscoveryProposalView['status'],
    createdAt: p.createdAt.toISOString(),
    decidedAt: p.decidedAt ? p.decidedAt.toISOString() : null,
  };
}

export interface KnownCamera {
  id: string;
  onvifUrl: string | null;
  rtspUrl: string | null;
  rtspSubUrl: string | null;
  /** The last discovered row linked to this camera; null for a camera registered by hand. */
  last: DeviceRow | null;
}

export interface NewDevice {
  device: FoundDevice;
  cameraId: string | null;
  changes: Changes;
  identityClash: boolean;
}

function deviceValues(scanId: string, n: NewDevice) {
  const d = n.device;
  return {
    scanId,
    endpointReference: d.endpointReference,
    address: d.address,
    onvifUrl: d.onvifUrl,
    xaddrs: d.xaddrs,
    xaddrMismatch: d.xaddrMismatch,
    scopes: d.scopes,
    manufacturer: d.manufacturer,
    model: d.model,
    firmware: d.firmware,
    serial: d.serial,
    hardwareId: d.hardwareId,
    profiles: d.profiles,
    rtspMainUrl: d.rtspMainUrl,
    rtspSubUrl: d.rtspSubUrl,
    snapshotUri: d.snapshotUri,
    hasPtz: d.hasPtz,
    clockOffsetMs: d.clockOffsetMs,
    mediaHostMismatch: d.mediaHostMismatch,
    identityClash: n.identityClash,
    error: d.error,
    errorDetail: d.errorDetail,
    cameraId: n.cameraId,
    state: n.cameraId ? 'known' : 'new',
    changes: n.changes,
  };
}

export function discoveryRepository(db: Db) {
  return {
    async createScan(v: { method: ScanMethod; range: string | null; withCredentials: boolean; startedBy: string | null; addressesTotal: number }): Promise<ScanRow> {
      const [row] = await db.insert(discoveryScans).values(v).returning();
      return row!;
    },

    async finishScan(id: string, v: { status: ScanStatus; error: string | null; capped: string | null; repliesDropped: number; failures: ScanFailure[] }, at: Date): Promise<void> {
      await db
        .update(discoveryScans)
        .set({ status: v.status, error: v.error, capped: v.capped, repliesDropped: v.repliesDropped, failures: v.failures.slice(0, MAX_SCAN_FAILURES), finishedAt: at })
        .where(eq(discoveryScans.id, id));
    },

    async progress(id: string, addressesDone: number): Promise<void> {
      await db.update(discoveryScans).set({ addressesDone }).where(eq(discoveryScans.id, id));
    },

    /** Fails scans left 'running' by a process that stopped (start-up housekeeping). */
    async failAbandoned(at: Date): Promise<void> {
      await db.update(discoveryScans).set({ status: 'failed', error: 'the server stopped during the scan', finishedAt: at }).where(eq(discoveryScans.status, 'running'));
    },

    async getScan(id: string): Promise<ScanRow | undefined> {
      const [row] = await db.select().from(discoveryScans).where(eq(discoveryScans.id, id));
      return row;
    },

    async listScans(limit: number): Promise<ScanRow[]> {
      return db.select().from(discoveryScans).orderBy(desc(discoveryScans.startedAt)).limit(limit);
    },

    /** One multi-row insert for a batch of devices; the scan's count grows by the batch (no count(*)). */
    async insertDevices(tx: Db, scanId: string, batch: NewDevice[]): Promise<DeviceRow[]> {
      if (batch.length === 0) return [];
      const rows = await tx.insert(discoveredDevices).values(batch.map((n) => deviceValues(scanId, n))).returning();
      await tx
        .update(discoveryScans)
        .set({ deviceCount: sql`${discoveryScans.deviceCount} + ${rows.length}` })
        .where(eq(discoveryScans.id, scanId));
      return rows;
    },

    /**
     * Flags the devices of a scan that share an endpoint reference or a serial with a device at
     * another address in the same scan (an impostor, or a moved camera answering twice). Returns
     * how many were flagged.
     */
    async flagScanClashes(scanId: string): Promise<number> {
      const rows = await queryRows<{ id: string }>(
        db,
        sql`UPDATE discovered_devices SET identity_clash = true
            WHERE scan_id = ${scanId} AND NOT identity_clash AND (
              endpoint_reference IN (SELECT endpoint_reference FROM discovered_devices WHERE scan_id = ${scanId} GROUP BY 1 HAVING count(DISTINCT address) > 1)
              OR serial IN (SELECT serial FROM discovered_devices WHERE scan_id = ${scanId} AND serial IS NOT NULL GROUP BY 1 HAVING count(DISTINCT address) > 1))
            RETURNING id`,
      );
      return rows.length;
    },

    async devicesOfScan(scanId: string): Promise<DeviceRow[]> {
      return db.select().from(discoveredDevices).where(eq(discoveredDevices.scanId, scanId)).orderBy(discoveredDevices.foundAt, discoveredDevices.address);
    },

    async getDevices(ids: string[], tx: Db = db): Promise<DeviceRow[]> {
      if (ids.length === 0) return [];
      return tx.select().from(discoveredDevices).where(inArray(discoveredDevices.id, ids));
    },

    /** Enrolled rows (with a live camera) for these endpoint references: one device is one camera. */
    async enrolledByEndpoint(endpoints: string[], tx: Db = db): Promise<DeviceRow[]> {
      if (endpoints.length === 0) return [];
      return tx
        .select()
        .from(discoveredDevices)
        .where(and(inArray(discoveredDevices.endpointReference, endpoints), eq(discoveredDevices.state, 'enrolled'), isNotNull(discoveredDevices.cameraId)));
    },

    /**
     * Registry cameras matching any of these devices, by endpoint reference or serial, through
     * earlier discovered rows linked to a camera that still exists; newest sighting first.
     */
    async knownCameras(endpoints: string[], serials: string[], tx: Db = db): Promise<Array<{ d: DeviceRow; c: typeof cameras.$inferSelect }>> {
      if (endpoints.length === 0 && serials.length === 0) return [];
      const match = or(
        endpoints.length ? inArray(discoveredDevices.endpointReference, endpoints) : sql`false`,
        serials.length ? inArray(discoveredDevices.serial, serials) : sql`false`,
      );
      return tx
        .select({ d: discoveredDevices, c: cameras })
        .from(discoveredDevices)
        .innerJoin(cameras, eq(cameras.id, discoveredDevices.cameraId))
        .where(and(isNotNull(discoveredDevices.cameraId), match))
        .orderBy(desc(discoveredDevices.foundAt))
        .limit(1000);
    },

    /** Cameras registered by hand, import or the demo with one of these ONVIF device-service URLs. */
    async camerasByOnvifUrl(urls: string[], tx: Db = db): Promise<Array<typeof cameras.$inferSelect>> {
      if (urls.length === 0) return [];
      return tx.select().from(cameras).where(inArray(cameras.onvifUrl, urls)).orderBy(cameras.createdAt);
    },

    async markEnrolled(tx: Db, deviceId: string, cameraId: string, at: Date): Promise<void> {
      await tx.update(discoveredDevices).set({ cameraId, state: 'enrolled', enrolledAt: at }).where(eq(discoveredDevices.id, deviceId));
    },

    async setDeviceMedia(tx: Db, deviceId: string, v: Pick<DeviceRow, 'rtspMainUrl' | 'rtspSubUrl' | 'snapshotUri' | 'manufacturer' | 'model' | 'firmware' | 'serial' | 'error' | 'errorDetail' | 'mediaHostMismatch'>): Promise<void> {
      await tx.update(discoveredDevices).set(v).where(eq(discoveredDevices.id, deviceId));
    },

    async openProposals(cameraIds: string[], tx: Db = db): Promise<ProposalRow[]> {
      if (cameraIds.length === 0) return [];
      return tx.select().from(discoveryProposals).where(and(inArray(discoveryProposals.cameraId, cameraIds), eq(discoveryProposals.status, 'open')));
    },

    async insertProposal(tx: Db, v: { cameraId: string; deviceId: string; kind: 'change' | 'identity_clash'; address: string; endpointReference: string; changes: Changes }): Promise<ProposalRow> {
      const [row] = await tx.insert(discoveryProposals).values(v).returning();
      return row!;
    },

    async listProposals(status: 'open' | 'applied' | 'dismissed' | undefined, limit: number): Promise<Array<{ p: ProposalRow; d: DeviceRow | null }>> {
      return db
        .select({ p: discoveryProposals, d: discoveredDevices })
        .from(discoveryProposals)
        .leftJoin(discoveredDevices, eq(discoveredDevices.id, discoveryProposals.deviceId))
        .where(status ? eq(discoveryProposals.status, status) : sql`true`)
        .orderBy(desc(discoveryProposals.createdAt))
        .limit(limit);
    },

    /** The proposal, locked for the deciding transaction. */
    async lockProposal(tx: Db, id: string): Promise<ProposalRow | undefined> {
      const [row] = await tx.select().from(discoveryProposals).where(eq(discoveryProposals.id, id)).for('update');
      return row;
    },

    async decideProposal(tx: Db, id: string, status: 'applied' | 'dismissed', by: string | null, at: Date): Promise<ProposalRow> {
      const [row] = await tx.update(discoveryProposals).set({ status, decidedBy: by, decidedAt: at }).where(eq(discoveryProposals.id, id)).returning();
      return row!;
    },
  };
}

export type DiscoveryRepository = ReturnType<typeof discoveryRepository>;
