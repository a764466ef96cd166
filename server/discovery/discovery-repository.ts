/** Storage of scans and discovered devices (the only discovery code that talks to the database). */
import { and, asc, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { DiscoveredDeviceView, DiscoveredProfile, DiscoveryError, ScanMethod, ScanStatus } from '@common/discovery';
import type { Db } from '@server/db/database';
import { cameras, discoveredDevices, discoveryScans } from '@server/db/schema/index';
import type { FoundDevice } from './scanner';

export type ScanRow = typeof discoveryScans.$inferSelect;
export type DeviceRow = typeof discoveredDevices.$inferSelect;

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
    foundAt: r.foundAt.toISOString(),
  };
}

export interface KnownCamera {
  id: string;
  ownerUserId: string | null;
  onvifUrl: string | null;
  rtspUrl: string | null;
  rtspSubUrl: string | null;
  /** The last discovered row linked to this camera (for firmware/serial comparisons); null for a camera registered by hand. */
  last: DeviceRow | null;
}

export function discoveryRepository(db: Db) {
  return {
    async createScan(v: { method: ScanMethod; range: string | null; withCredentials: boolean; startedBy: string | null; addressesTotal: number }): Promise<ScanRow> {
      const [row] = await db.insert(discoveryScans).values(v).returning();
      return row!;
    },

    async finishScan(id: string, status: ScanStatus, error: string | null, at: Date): Promise<void> {
      await db.update(discoveryScans).set({ status, error, finishedAt: at }).where(eq(discoveryScans.id, id));
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

    async insertDevice(scanId: string, d: FoundDevice, link: { cameraId: string | null; changes: Record<string, unknown> }): Promise<DeviceRow> {
      const values = {
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
        error: d.error,
        errorDetail: d.errorDetail,
        cameraId: link.cameraId,
        state: link.cameraId ? 'known' : 'new',
        changes: link.changes,
      };
      const [row] = await db
        .insert(discoveredDevices)
        .values(values)
        .onConflictDoUpdate({ target: [discoveredDevices.scanId, discoveredDevices.endpointReference], set: values })
        .returning();
      await db
        .update(discoveryScans)
        .set({ deviceCount: sql`(SELECT count(*) FROM discovered_devices WHERE scan_id = ${scanId})::int` })
        .where(eq(discoveryScans.id, scanId));
      return row!;
    },

    async devicesOfScan(scanId: string): Promise<DeviceRow[]> {
      return db.select().from(discoveredDevices).where(eq(discoveredDevices.scanId, scanId)).orderBy(discoveredDevices.foundAt, discoveredDevices.address);
    },

    async getDevices(ids: string[], tx: Db = db): Promise<DeviceRow[]> {
      if (ids.length === 0) return [];
      return tx.select().from(discoveredDevices).where(inArray(discoveredDevices.id, ids));
    },

    /**
     * The registry camera a device is, by endpoint reference, else by manufacturer + serial,
     * through earlier discovered rows linked to a camera that still exists.
     */
    async findKnownCamera(endpointReference: string, serial: string | null, manufacturer: string | null, tx: Db = db): Promise<KnownCamera | undefined> {
      const bySerial = serial ? and(eq(discoveredDevices.serial, serial), manufacturer ? eq(discoveredDevices.manufacturer, manufacturer) : sql`true`) : undefined;
      const match = bySerial ? or(eq(discoveredDevices.endpointReference, endpointReference), bySerial) : eq(discoveredDevices.endpointReference, endpointReference);
      const [row] = await tx
        .select({ d: discoveredDevices, c: cameras })
        .from(discoveredDevices)
        .innerJoin(cameras, eq(cameras.id, discoveredDevices.cameraId))
        .where(and(isNotNull(discoveredDevices.cameraId), match))
        .orderBy(desc(discoveredDevices.foundAt))
        .limit(1);
      if (!row) return undefined;
      return { id: row.c.id, ownerUserId: row.c.ownerUserId, onvifUrl: row.c.onvifUrl, rtspUrl: row.c.rtspUrl, rtspSubUrl: row.c.rtspSubUrl, last: row.d };
    },

    /** A camera registered by hand, import or the demo with this ONVIF device-service URL. */
    async findCameraByOnvifUrl(onvifUrl: string, tx: Db = db): Promise<KnownCamera | undefined> {
      const [c] = await tx.select().from(cameras).where(eq(cameras.onvifUrl, onvifUrl)).orderBy(asc(cameras.createdAt)).limit(1);
      return c ? { id: c.id, ownerUserId: c.ownerUserId, onvifUrl: c.onvifUrl, rtspUrl: c.rtspUrl, rtspSubUrl: c.rtspSubUrl, last: null } : undefined;
    },

    async markEnrolled(tx: Db, deviceId: string, cameraId: string, at: Date): Promise<void> {
      await tx.update(discoveredDevices).set({ cameraId, state: 'enrolled', enrolledAt: at }).where(eq(discoveredDevices.id, deviceId));
    },

    async setDeviceMedia(tx: Db, deviceId: string, v: Pick<DeviceRow, 'rtspMainUrl' | 'rtspSubUrl' | 'snapshotUri' | 'manufacturer' | 'model' | 'firmware' | 'serial' | 'error' | 'errorDetail'>): Promise<void> {
      await tx.update(discoveredDevices).set(v).where(eq(discoveredDevices.id, deviceId));
    },

    /** Re-discovery: a known camera moved or changed its streams; the registry row follows. */
    async updateCameraAddresses(cameraId: string, v: { onvifUrl?: string; rtspUrl?: string; rtspSubUrl?: string }, at: Date): Promise<void> {
      await db
        .update(cameras)
        .set({ ...v, updatedAt: at, version: sql`${cameras.version} + 1` })
        .where(eq(cameras.id, cameraId));
    },
  };
}

export type DiscoveryRepository = ReturnType<typeof discoveryRepository>;
