/**
 * Camera request/response schemas: the single source for validation and the OpenAPI document.
 * Input schemas are strict (unknown fields -> 400 naming them).
 */
import { CAMERA_KINDS, CAMERA_STATUSES, COORD_SYSTEMS, ENROLLMENT_STATES, RECORDING_MODES, STREAM_TRANSPORTS } from '@common/domain';
import { z } from '@server/schemas/openapi';
import { plainString } from '@server/schemas/text';

/**
 * A camera URL: no spaces or control characters (the URL parser would silently drop CR/LF and
 * tabs; percent-encode what a path needs), one of `schemes`. Stored normalised (cameras/urls.ts).
 */
const urlWithScheme = (schemes: string[], what: string, refused: Record<string, string> = {}) =>
  z
    .string()
    .trim()
    .min(1)
    .max(2048)
    .superRefine((v, ctx) => {
      if (/[\s\u0000-\u001f\u007f-\u009f]/.test(v)) {
        ctx.addIssue({ code: 'custom', message: 'must not contain spaces or control characters (percent-encode them)' });
        return;
      }
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be a ${what} URL (${schemes.map((s) => `${s}//`).join(' or ')})` });
        return;
      }
      if (refused[u.protocol]) ctx.addIssue({ code: 'custom', message: refused[u.protocol]! });
      else if (!schemes.includes(u.protocol) || !u.hostname) ctx.addIssue({ code: 'custom', message: `must be a ${what} URL (${schemes.map((s) => `${s}//`).join(' or ')})` });
      else if (!decodes(u.username) || !decodes(u.password)) ctx.addIssue({ code: 'custom', message: 'the user name or password in it has a broken %-escape (write % as %25)' });
    });

/** Whether a URL's user name or password percent-decodes (cameras/urls.ts moves them to credentials). */
function decodes(part: string): boolean {
  try {
    decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}

/**
 * rtsps:// is refused rather than half-supported: ingest reaches cameras through the in-process
 * RTSP auth proxy, which speaks plain TCP to the camera, so a TLS camera URL could not be honoured.
 */
export const RTSPS_REFUSED = 'rtsps:// (RTSP over TLS) is not supported: ingest speaks plain RTSP to cameras; use rtsp:// over a trusted network or VPN';
export const rtspUrl = urlWithScheme(['rtsp:'], 'RTSP', { 'rtsps:': RTSPS_REFUSED });
export const onvifUrl = urlWithScheme(['http:', 'https:'], 'ONVIF (HTTP)');

const id = z.uuid();
const text = (max: number) => plainString().trim().min(1).max(max);

export const LocationInput = z
  .object({
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    address: plainString().trim().max(500).nullable().optional(),
    coordSystem: z.enum(COORD_SYSTEMS).optional().openapi({ description: 'wgs84 (default) or gcj02; gcj02 is converted to WGS-84 before storing.' }),
  })
  .strict();

export const CredentialsInput = z.object({ username: text(128), password: z.string().min(1).max(256) }).strict();
export const OwnerInput = z.object({ name: text(100), phone: plainString().trim().max(40).nullable().optional() }).strict();
export const RecordingInput = z.object({ mode: z.enum(RECORDING_MODES), retentionDays: z.number().int().min(1).max(3650) }).strict();
export const Tags = z.array(plainString().trim().min(1).max(64)).max(50);

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
  allowBasicAuth: z.boolean().optional().openapi({ description: 'Let ingest answer a camera that offers only Basic authentication over plain RTSP (sends the password itself). Default false; Digest is always preferred.' }),
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

export const ConsentWithdrawalSchema = z
  .object({ reason: z.string().trim().max(500).optional() })
  .strict()
  .openapi('ConsentWithdrawal');

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
    allowBasicAuth: z.boolean(),
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
    cursor: plainString().max(500).optional(),
    kind: z.enum(CAMERA_KINDS).optional(),
    status: z.enum(CAMERA_STATUSES).optional(),
    enrollment: z.enum(ENROLLMENT_STATES).optional(),
    stationId: id.optional(),
    zoneId: id.optional(),
    gridId: id.optional(),
    tag: plainString().max(64).optional(),
    q: plainString().trim().max(200).optional(),
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
    items: z.array(z.object({ status: z.enum(CAMERA_STATUSES), cause: z.string().nullable(), detail: z.string().nullable(), at: z.string(), workerId: z.string().nullable() })),
    nextCursor: z.string().nullable(),
  })
  .openapi('CameraStatusHistory');
