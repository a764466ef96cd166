/** Discovery and enrollment request/response schemas (validation and the OpenAPI document). */
import { CAMERA_KINDS } from '@common/domain';
import { DISCOVERY_ERRORS } from '@common/discovery';
import { z } from '@server/schemas/openapi';

const Credentials = z.object({ username: z.string().trim().min(1).max(128), password: z.string().max(256) }).strict();

export const StartScanSchema = z
  .object({
    method: z.enum(['multicast', 'unicast']),
    range: z.string().trim().max(64).optional().openapi({ description: 'CIDR for unicast (inside discovery.allowedRanges, at most a /20).', example: '127.0.1.0/28' }),
    username: z.string().trim().min(1).max(128).optional(),
    password: z.string().max(256).optional().openapi({ description: 'Held in memory only for the scan; never stored, returned or logged.' }),
  })
  .strict()
  .openapi('DiscoveryScanStart');

export const ScanStartedSchema = z.object({ id: z.uuid(), status: z.literal('running') }).openapi('DiscoveryScanStarted');

export const DeviceSchema = z
  .object({
    id: z.uuid(),
    scanId: z.uuid(),
    endpoint: z.string(),
    address: z.string(),
    onvifUrl: z.string().nullable(),
    xaddrMismatch: z.boolean(),
    manufacturer: z.string().nullable(),
    model: z.string().nullable(),
    firmware: z.string().nullable(),
    serial: z.string().nullable(),
    profiles: z.array(z.object({ token: z.string(), name: z.string(), encoding: z.string().nullable(), width: z.number().nullable(), height: z.number().nullable(), ptz: z.boolean() })),
    streamUris: z.object({ main: z.string().nullable(), sub: z.string().nullable() }),
    snapshotUri: z.string().nullable(),
    hasPtz: z.boolean().nullable(),
    clockOffsetMs: z.number().nullable(),
    error: z.enum(DISCOVERY_ERRORS).nullable(),
    errorDetail: z.string().nullable(),
    state: z.enum(['new', 'known', 'enrolled']),
    cameraId: z.uuid().nullable(),
    changes: z.record(z.string(), z.object({ from: z.string().nullable(), to: z.string().nullable() })),
    mediaHostMismatch: z.boolean().openapi({ description: 'A stream URI names another host than the device; enrolling needs approveForeignMediaHost (no credentials then).' }),
    identityClash: z.boolean().openapi({ description: 'Claims a registry camera\'s endpoint or serial from another address than the approved one, or shares one with a device at another address in the same scan.' }),
    foundAt: z.string(),
  })
  .openapi('DiscoveredDevice');

const ScanFields = {
  id: z.uuid(),
  method: z.enum(['multicast', 'unicast']),
  range: z.string().nullable(),
  status: z.enum(['running', 'done', 'failed']),
  error: z.string().nullable(),
  withCredentials: z.boolean(),
  addressesTotal: z.number().int(),
  addressesDone: z.number().int(),
  deviceCount: z.number().int(),
  repliesDropped: z.number().int().openapi({ description: 'Replies and ProbeMatch entries dropped (malformed, outside the scan, over the caps, or lost in the kernel buffer).' }),
  capped: z.string().nullable().openapi({ description: 'Why the scan kept fewer devices than answered (discovery.maxDevicesPerScan), or null.' }),
  failures: z.array(z.object({ address: z.string(), message: z.string() })).openapi({ description: 'Devices that could not be probed or stored (at most 100 listed).' }),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
};
export const ScanSchema = z.object({ ...ScanFields, devices: z.array(DeviceSchema) }).openapi('DiscoveryScan');
export const ScanListSchema = z.object({ items: z.array(z.object(ScanFields)) }).openapi('DiscoveryScanList');

export const IdParams = z.object({ id: z.uuid() });

const Location = z
  .object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), address: z.string().trim().max(500).nullable().optional() })
  .strict();

const enrollFields = {
  credentials: Credentials.nullable().optional().openapi({ description: 'Default: the scan\'s credentials while still held in memory.' }),
  kind: z.enum(CAMERA_KINDS),
  location: Location,
  name: z.string().trim().min(1).max(200).optional(),
  tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
  stationId: z.uuid().nullable().optional(),
  patrolZoneId: z.uuid().nullable().optional(),
  enrollmentState: z.enum(['pending', 'approved']).optional(),
  approveForeignMediaHost: z.boolean().optional().openapi({ description: 'Approve stream URIs on another host than the device; such cameras are enrolled without credentials.' }),
};
export const EnrollOneSchema = z.object(enrollFields).strict().openapi('DiscoveryEnrollOne');
export const EnrollBulkSchema = z
  .object({ deviceIds: z.array(z.uuid()).min(1).max(256), ...enrollFields })
  .strict()
  .openapi('DiscoveryEnrollBulk');
export const EnrollResultSchema = z.object({ enrolled: z.array(z.object({ deviceId: z.uuid(), cameraId: z.uuid() })) }).openapi('DiscoveryEnrollResult');

const url = (schemes: string[]) =>
  z
    .string()
    .trim()
    .max(2048)
    .refine((v) => {
      try {
        return schemes.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `must be a ${schemes.join(' or ')} URL`);

export const MerchantEnrollSchema = z
  .object({
    onvifUrl: url(['http:', 'https:']).optional(),
    rtspUrl: url(['rtsp:', 'rtsps:']).optional(),
    credentials: Credentials.optional(),
    name: z.string().trim().min(1).max(200),
    kind: z.enum(['shopfront', 'household']),
    location: Location,
    owner: z.object({ name: z.string().trim().min(1).max(100), phone: z.string().trim().max(40).nullable().optional() }).strict(),
    consent: z.literal(true, { error: 'consent must be true: the owner agrees to share this camera with the police' }),
  })
  .strict()
  .refine((v) => Boolean(v.onvifUrl) !== Boolean(v.rtspUrl), { message: 'give exactly one of onvifUrl or rtspUrl', path: ['onvifUrl'] })
  .openapi('MerchantEnrollment');

export const MerchantEnrollResultSchema = z
  .object({
    cameraId: z.uuid(),
    enrollmentState: z.literal('pending'),
    consentAt: z.string(),
    verification: z.object({ method: z.enum(['onvif', 'rtsp']), codec: z.string().nullable(), rtspUrl: z.string(), rtspSubUrl: z.string().nullable() }),
  })
  .openapi('MerchantEnrollmentResult');

const Change = z.object({ from: z.string().nullable(), to: z.string().nullable() });
export const ProposalSchema = z
  .object({
    id: z.uuid(),
    cameraId: z.uuid(),
    deviceId: z.uuid().nullable(),
    kind: z.enum(['change', 'identity_clash']),
    address: z.string(),
    endpoint: z.string(),
    changes: z.record(z.string(), Change),
    mediaHostMismatch: z.boolean(),
    status: z.enum(['open', 'applied', 'dismissed']),
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
  })
  .openapi('DiscoveryProposal');
export const ProposalListSchema = z.object({ items: z.array(ProposalSchema) }).openapi('DiscoveryProposalList');
export const ProposalQuery = z.object({ status: z.enum(['open', 'applied', 'dismissed']).optional() }).strict();
export const ApplyProposalSchema = z
  .object({
    version: z.number().int().min(1).optional().openapi({ description: 'The camera version the operator read; 409 when it changed.' }),
    approveForeignMediaHost: z.boolean().optional(),
  })
  .strict()
  .openapi('DiscoveryProposalApply');
