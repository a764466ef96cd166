/**
 * Enrolling discovered devices into the registry, one or many, all in ONE transaction: either
 * every camera is created or none is. Cameras are created only through the cameras service (the
 * registry's validation, the operator's own identity, audit in the same transaction). One device
 * is one camera: a device already enrolled, or named twice, is refused, and a unique index
 * settles concurrent enrollments. A device whose stream URI names another host needs the
 * operator's explicit approval, and then gets no credentials (they belong to the device's host).
 */
import type { CameraKind } from '@common/domain';
import type { AppContext } from '@server/context';
import { recordAudit } from '@server/audit/audit-repository';
import type { Actor, CamerasService } from '@server/cameras/index';
import type { Camera } from '@server/cameras/schemas';
import { conflict, HttpError, notFound, unprocessable, type FieldError } from '@server/http/problem';
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
  /** The operator approves stream URIs on another host than the device (enrolled without credentials). */
  approveForeignMediaHost?: boolean;
}

export interface EnrollResult {
  enrolled: Array<{ deviceId: string; cameraId: string }>;
}

/** PostgreSQL unique violation (the one-device-one-camera index). */
const isUniqueViolation = (e: unknown) => {
  for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause) {
    if ((c as { code?: string }).code === '23505') return true;
  }
  return false;
};

export function enrollService(ctx: AppContext, discovery: DiscoveryService, cameras: CamerasService) {
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
    async enroll(input: EnrollInput, actor: Actor): Promise<EnrollResult> {
      const ids = [...new Set(input.deviceIds)];
      const rows = await repo.getDevices(ids);
      const missing = ids.filter((id) => !rows.some((r) => r.id === id));
      if (missing.length > 0) throw notFound(`Discovered device ${missing.join(', ')}`);
      const taken = rows.filter((r) => r.cameraId);
      if (taken.length > 0) {
        throw conflict('Some devices are already registry cameras; changes re-discovery finds are proposals for an operator.', {
          devices: taken.map((r) => ({ deviceId: r.id, cameraId: r.cameraId, state: r.state })),
        });
      }
      const endpoints = rows.map((r) => r.endpointReference);
      const twice = endpoints.filter((e, i) => endpoints.indexOf(e) !== i);
      if (twice.length > 0) throw conflict('The same device was named twice (found by two scans); one device is one camera.', { endpoints: [...new Set(twice)] });
      const already = await repo.enrolledByEndpoint(endpoints);
      if (already.length > 0) {
        throw conflict('Some devices are already enrolled as cameras; one device is one camera.', { devices: already.map((r) => ({ endpoint: r.endpointReference, cameraId: r.cameraId })) });
      }

      const prepared: Array<{ row: DeviceRow; creds: ScanCredentials | undefined }> = [];
      const failures: FieldError[] = [];
      for (const [i, id] of ids.entries()) {
        const row = rows.find((r) => r.id === id)!;
        const creds = input.credentials ?? discovery.scanCredentials(row.scanId);
        const r = await ready(row, creds, Boolean(input.credentials));
        if ('field' in r) failures.push({ field: `deviceIds.${i}`, message: `${id}: ${r.message}` });
        else if (r.mediaHostMismatch && input.approveForeignMediaHost !== true) {
          failures.push({ field: 'approveForeignMediaHost', message: `${id}: the device's stream URI names another host than the device (${r.address}); approve it explicitly (it is then enrolled without credentials)` });
        } else prepared.push({ row: r, creds: r.mediaHostMismatch ? undefined : creds });
      }
      if (failures.length > 0) throw unprocessable('Some devices could not be verified; nothing was enrolled.', failures);

      const now = ctx.clock.now();
      const org = await cameras.orgIndex();
      const enrolled: Array<{ deviceId: string; camera: Camera }> = [];
      try {
        await ctx.database.db.transaction(async (tx) => {
          for (const [i, { row, creds }] of prepared.entries()) {
            const fallback = [row.manufacturer, row.model, row.address].filter(Boolean).join(' ').slice(0, 200).trim();
            const name = input.name ? (prepared.length > 1 ? `${input.name} ${i + 1}` : input.name) : fallback || row.address;
            const camera = await cameras.createInTx(
              tx,
              actor,
              org,
              {
                name,
                kind: input.kind,
                location: { lat: input.location.lat, lon: input.location.lon, address: input.location.address ?? null },
                onvifUrl: row.onvifUrl,
                rtspUrl: row.rtspMainUrl,
                rtspSubUrl: row.rtspSubUrl,
                credentials: creds ? { username: creds.username, password: creds.password } : null,
                enrollmentState: input.enrollmentState ?? 'approved',
                tags: input.tags ?? [],
                stationId: input.stationId ?? null,
                patrolZoneId: input.patrolZoneId ?? null,
              },
              { via: 'discovery', deviceId: row.id },
            );
            await repo.setDeviceMedia(tx, row.id, {
              rtspMainUrl: row.rtspMainUrl,
              rtspSubUrl: row.rtspSubUrl,
              snapshotUri: row.snapshotUri,
              manufacturer: row.manufacturer,
              model: row.model,
              firmware: row.firmware,
              serial: row.serial,
              mediaHostMismatch: row.mediaHostMismatch,
              error: null,
              errorDetail: null,
            });
            await repo.markEnrolled(tx, row.id, camera.id, now);
            await recordAudit(tx, actor.audit, {
              action: 'discovery.enroll',
              targetType: 'camera',
              targetId: camera.id,
              details: { deviceId: row.id, endpoint: row.endpointReference, address: row.address, foreignMediaHostApproved: row.mediaHostMismatch },
            });
            enrolled.push({ deviceId: row.id, camera });
          }
        });
      } catch (e) {
        if (e instanceof HttpError) throw e;
        if (isUniqueViolation(e)) throw conflict('The device was enrolled meanwhile; one device is one camera.');
        throw e;
      }
      for (const e of enrolled) ctx.bus.publish('camera:created', { id: e.camera.id, ownerUserId: e.camera.owner?.userId ?? null, camera: e.camera });
      return { enrolled: enrolled.map((e) => ({ deviceId: e.deviceId, cameraId: e.camera.id })) };
    },
  };
}

export type EnrollService = ReturnType<typeof enrollService>;
