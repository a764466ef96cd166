/**
 * Enrolling discovered devices into the registry, one or many, all in ONE transaction: either
 * every camera is created (credentials sealed by the registry's keyring) or none is. A device
 * whose stream URIs are unknown (scanned without credentials) is probed again with the
 * credentials given for enrollment first; a failure names the device and why.
 */
import type { CameraKind } from '@common/domain';
import type { AppContext } from '@server/context';
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import { conflict, notFound, unprocessable, type FieldError } from '@server/http/problem';
import type { CameraPort } from './camera-port';
import type { DeviceRow } from './discovery-repository';
import type { DiscoveryService } from './discovery-service';
import { scanSettings } from './discovery-service';
import { probeDevice, type ScanCredentials } from './onvif-prober';

export interface EnrollInput {
  deviceIds: string[];
  credentials?: ScanCredentials | null;
  kind: CameraKind;
  location: { lat: number; lon: number; address?: string | null };
  /** Name for a single device; with several, each gets "<name> <n>". Default: manufacturer model address. */
  name?: string;
  tags?: string[];
  stationId?: string | null;
  patrolZoneId?: string | null;
  enrollmentState?: 'pending' | 'approved';
}

export interface EnrollResult {
  enrolled: Array<{ deviceId: string; cameraId: string }>;
}

export function enrollService(ctx: AppContext, discovery: DiscoveryService, cameras: CameraPort) {
  const repo = discovery.repo;

  async function ready(d: DeviceRow, creds: ScanCredentials | undefined, reprobe: boolean): Promise<DeviceRow | FieldError> {
    if (!reprobe && d.rtspMainUrl) return d;
    if (!d.onvifUrl) return { field: d.id, message: `${d.error ?? 'not_onvif'}: the device has no ONVIF service address to read stream URIs from` };
    const url = new URL(d.onvifUrl);
    const s = scanSettings(ctx);
    const details = await probeDevice({ address: d.address, port: Number(url.port || 80), path: url.pathname }, creds, {
      timeoutMs: s.soapTimeoutMs,
      maxBytes: s.maxResponseBytes,
      allowedRanges: s.allowedRanges,
    });
    if (details.error || !details.rtspMainUrl) {
      return { field: d.id, message: `${details.error ?? 'not_onvif'}: ${details.errorDetail ?? 'the device reported no RTSP stream'}` };
    }
    return { ...d, ...details, profiles: details.profiles };
  }

  return {
    async enroll(input: EnrollInput, actor: AuditActor): Promise<EnrollResult> {
      const ids = [...new Set(input.deviceIds)];
      const rows = await repo.getDevices(ids);
      const missing = ids.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length > 0) throw notFound(`Discovered device ${missing.join(', ')}`);
      const taken = rows.filter((r) => r.cameraId);
      if (taken.length > 0) {
        throw conflict('Some devices are already registry cameras; re-discovery keeps those up to date.', {
          devices: taken.map((r) => ({ deviceId: r.id, cameraId: r.cameraId, state: r.state })),
        });
      }
      const prepared: Array<{ row: DeviceRow; creds: ScanCredentials | undefined }> = [];
      const failures: FieldError[] = [];
      for (const id of ids) {
        const row = rows.find((r) => r.id === id)!;
        const creds = input.credentials ?? discovery.scanCredentials(row.scanId);
        const r = await ready(row, creds, Boolean(input.credentials));
        if ('field' in r) failures.push({ field: `deviceIds.${ids.indexOf(id)}`, message: `${id}: ${r.message}` });
        else prepared.push({ row: r, creds });
      }
      if (failures.length > 0) throw unprocessable('Some devices could not be verified; nothing was enrolled.', failures);

      const now = ctx.clock.now();
      const enrolled: Array<{ deviceId: string; cameraId: string; ownerUserId: string | null; view?: unknown }> = [];
      await ctx.database.db.transaction(async (tx) => {
        for (const [i, { row, creds }] of prepared.entries()) {
          const fallback = [row.manufacturer, row.model, row.address].filter(Boolean).join(' ');
          const name = input.name ? (prepared.length > 1 ? `${input.name} ${i + 1}` : input.name) : fallback || row.address;
          const cam = await cameras.create(
            tx,
            {
              name,
              kind: input.kind,
              lat: input.location.lat,
              lon: input.location.lon,
              address: input.location.address ?? null,
              onvifUrl: row.onvifUrl,
              rtspUrl: row.rtspMainUrl!,
              rtspSubUrl: row.rtspSubUrl,
              username: creds?.username ?? null,
              password: creds?.password ?? null,
              enrollmentState: input.enrollmentState ?? 'approved',
              tags: input.tags ?? [],
              stationId: input.stationId ?? null,
              patrolZoneId: input.patrolZoneId ?? null,
            },
            actor,
          );
          await repo.setDeviceMedia(tx, row.id, {
            rtspMainUrl: row.rtspMainUrl,
            rtspSubUrl: row.rtspSubUrl,
            snapshotUri: row.snapshotUri,
            manufacturer: row.manufacturer,
            model: row.model,
            firmware: row.firmware,
            serial: row.serial,
            error: null,
            errorDetail: null,
          });
          await repo.markEnrolled(tx, row.id, cam.id, now);
          await recordAudit(tx, actor, {
            action: 'discovery.enroll',
            targetType: 'camera',
            targetId: cam.id,
            details: { deviceId: row.id, endpoint: row.endpointReference, address: row.address },
          });
          enrolled.push({ deviceId: row.id, cameraId: cam.id, ownerUserId: cam.ownerUserId, view: cam.view });
        }
      });
      for (const e of enrolled) ctx.bus.publish('camera:created', { id: e.cameraId, ownerUserId: e.ownerUserId, ...(e.view ? { camera: e.view } : {}) });
      return { enrolled: enrolled.map(({ deviceId, cameraId }) => ({ deviceId, cameraId })) };
    },
  };
}

export type EnrollService = ReturnType<typeof enrollService>;
