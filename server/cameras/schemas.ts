/**
 * Camera request/response schemas: the single source for validation and the OpenAPI document.
 * Input schemas are strict (unknown fields -> 400 naming them).
 */
import { CAMERA_KINDS, CAMERA_STATUSES, COORD_SYSTEMS, ENROLLMENT_STATES, RECORDING_MODES, STREAM_TRANSPORTS } from '@common/domain';
import { z } from '@server/schemas/openapi';

const urlWithScheme = (schemes: string[], what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(2048)
    .refine((v) => {
      try {
        const u = new URL(v);
        return schemes.includes(u.protocol) && !!u.hostname;
      } catch {
        return false;
      }
    }, `must be a ${what} URL (${schemes.map((s) => `${s}//`).join(' or ')})`);

export const rtspUrl = urlWithScheme(['rtsp:', 'rtsps:'], 'RTSP');
export const onvifUrl = urlWithScheme(['http:', 'https:'], 'ONVIF (HTTP)');

const id = z.uuid();
const text = (max: number) => z.string().trim().min(1).max(max);

export const LocationInput = z
  .object({
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    address: z.string().trim().max(500).nullable().optional(),
    coordSystem: z.enum(COORD_SYSTEMS).optional().openapi({ description: 'wgs84 (default) or gcj02; gcj02 is converted to WGS-84 before storing.' }),
  })
  .strict();

export const CredentialsInput = z.object({ username: text(128), password: z.string().min(1).max(256) }).strict();
export const OwnerInput = z.object({ name: text(100), phone: z.string().trim().max(40).nullable().optional() }).strict();
export const RecordingInput = z.object({ mode: z.enum(RECORDING_MODES), retentionDays: z.number().int().min(1).max(3650) }).strict();
export const Tags = z.array(z.string().trim().min(1).max(64)).max(50);

const inputFields = {
  name: text(200),
  kind: z.enum(CAMERA_KINDS),
  location: LocationInput,
  rtspUrl,
  rtspSubUrl: rtspUrl.nullable().optional(),
  onvifUrl: onvifUrl.nullable().optional(),
  transport: z.enum(STREAM_TRANSPORTS).optional(),
  liveVideo: z.enum(['copy', 'h264']).optional().openapi({ description: "'h264': transcode live HLS/FLV for browsers (e.g. an H.265 camera). Recording always copies." }),
  credentials: CredentialsInput.nullable().optional(),
  tags: Tags.optional(),
  stationId: id.nullable().optional(),
  policeRoomId: id.nullable().optional(),
  patrolZoneId: id.nullable().optional(),
  gridId: id.nullable().optional(),
  owner: OwnerInput.nullable().optional(),
  recording: RecordingInput.optional(),
  enrollmentState: z.enum(ENROLLMENT_STATES).optional().openapi({ description: 'Staff only (default approved); merchants always create pending cameras.' }),
};

export const CameraInputSchema = z.object(inputFields).strict().openapi('CameraInput');
export type CameraInput = z.infer<typeof CameraInputSchema>;

export const CameraPatchSchema = z
  .object({
    ...Object.fromEntries(Object.entries(inputFields).map(([k, v]) => [k, v.optional()])),
    version: z.number().int().min(1).optional().openapi({ description: 'The version read; or send it in If-Match.' }),
  } as { [K in keyof typeof inputFields]: z.ZodOptional<(typeof inputFields)[K]> } & { version: z.ZodOptional<z.ZodNumber> })
  .strict()
  .openapi('CameraPatch');
export type CameraPatch = z.infer<typeof CameraPatchSchema>;

export const EnrollmentInputSchema = z
  .object({ state: z.enum(ENROLLMENT_STATES), reason: z.string().trim().max(500).optional() })
  .strict()
  .openapi('EnrollmentChange');

export const CameraSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(CAMERA_KINDS),
    location: z.object({ lat: z.number(), lon: z.number(), address: z.string().nullable(), coordSystem: z.literal('wgs84') }),
    stationId: z.string().nullable(),
    policeRoomId: z.string().nullable(),
    patrolZoneId: z.string().nullable(),
    gridId: z.string().nullable(),
    owner: z.object({ name: z.string().nullable(), phone: z.string().nullable(), userId: z.string().nullable() }).nullable(),
    onvifUrl: z.string().nullable(),
    rtspUrl: z.string().nullable(),
    rtspSubUrl: z.string().nullable(),
    transport: z.enum(STREAM_TRANSPORTS),
    liveVideo: z.enum(['copy', 'h264']),
    credentials: z.object({ username: z.string() }).nullable().openapi({ description: 'The password is never returned.' }),
    tags: z.array(z.string()),
    enrollmentState: z.enum(ENROLLMENT_STATES),
    enrollmentReason: z.string().nullable(),
    recording: z.object({ mode: z.enum(RECORDING_MODES), retentionDays: z.number().int() }),
    status: z.enum(CAMERA_STATUSES),
    statusCause: z.string().nullable(),
    statusChangedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
    distanceMeters: z.number().optional().openapi({ description: 'Only in radius queries (lat, lon, radius).' }),
  })
  .openapi('Camera');
export type Camera = z.infer<typeof CameraSchema>;

export const CameraListSchema = z.object({ items: z.array(CameraSchema), nextCursor: z.string().nullable() }).openapi('CameraList');

const num = z.coerce.number();
export const ListQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(500).optional(),
    kind: z.enum(CAMERA_KINDS).optional(),
    status: z.enum(CAMERA_STATUSES).optional(),
    enrollment: z.enum(ENROLLMENT_STATES).optional(),
    stationId: id.optional(),
    zoneId: id.optional(),
    gridId: id.optional(),
    tag: z.string().max(64).optional(),
    q: z.string().trim().max(200).optional(),
    bbox: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const p = v.split(',').map(Number);
        const [minLon, minLat, maxLon, maxLat] = p;
        if (p.length !== 4 || p.some((n) => !Number.isFinite(n)) || minLon! > maxLon! || minLat! > maxLat! || Math.abs(minLat!) > 90 || Math.abs(maxLat!) > 90 || Math.abs(minLon!) > 180 || Math.abs(maxLon!) > 180) {
          ctx.addIssue({ code: 'custom', message: 'bbox must be minLon,minLat,maxLon,maxLat' });
          return z.NEVER;
        }
        return { minLon: minLon!, minLat: minLat!, maxLon: maxLon!, maxLat: maxLat! };
      })
      .openapi({ type: 'string', description: 'minLon,minLat,maxLon,maxLat (WGS-84)' }),
    lat: num.min(-90).max(90).optional(),
    lon: num.min(-180).max(180).optional(),
    radius: num.positive().max(100_000).optional().openapi({ description: 'Metres; with lat and lon: nearest first, with distanceMeters.' }),
  })
  .strict()
  .superRefine((q, ctx) => {
    const given = [q.lat, q.lon, q.radius].filter((v) => v !== undefined).length;
    if (given !== 0 && given !== 3) ctx.addIssue({ code: 'custom', path: ['radius'], message: 'lat, lon and radius go together' });
  });
export type ListQuery = z.infer<typeof ListQuerySchema>;
/** The filters of a list query, without paging (export uses them too). */
export type CameraFilter = Omit<ListQuery, 'limit' | 'cursor'>;

export const ImportReportSchema = z
  .object({
    created: z.number().int(),
    failed: z.number().int(),
    errors: z.array(z.object({ row: z.number().int(), field: z.string(), message: z.string() })),
  })
  .openapi('ImportReport');
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const StatusHistorySchema = z
  .object({
    items: z.array(z.object({ status: z.string(), cause: z.string().nullable(), at: z.string(), workerId: z.string().nullable() })),
    nextCursor: z.string().nullable(),
  })
  .openapi('CameraStatusHistory');
