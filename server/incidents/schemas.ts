/**
 * Incident request/response schemas: the one source for validation and the OpenAPI document.
 * Inputs are strict (unknown fields -> 400 naming them). Rules that need config (categories,
 * largest radius and window) are checked by the service, also naming the field.
 */
import { INCIDENT_STATUSES, SHARING_MODES } from '@common/incidents';
import { GAP_CAUSES } from '@common/timeline';
import { z } from '@server/schemas/openapi';
import { plainString } from '@server/schemas/text';

/** Multi-line text: line breaks and tabs allowed, other control characters not. */
const multiline = () => z.string().refine((v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(v), 'must not contain control characters other than line breaks and tabs');
const iso = () => z.iso.datetime({ offset: true }).openapi({ description: 'ISO 8601 with offset, e.g. 2026-11-30T08:00:00+08:00' });
const id = z.uuid();

export const LocationInput = z
  .object({
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    address: plainString().trim().max(300).nullable().optional(),
  })
  .strict()
  .openapi({ description: 'WGS-84 map point (and optionally its address)' });

export const CreateIncidentSchema = z
  .object({
    title: plainString().trim().min(1).max(200),
    category: z.string().min(1).max(32).openapi({ description: 'One of config incidents.categories (GET /api/v1/incidents/meta)' }),
    location: LocationInput,
    radius: z.number().positive().openapi({ description: 'Metres (at most config incidents.maxRadius)' }),
    from: iso(),
    to: iso(),
    description: multiline().max(10_000).optional(),
    address: plainString().trim().max(300).optional().openapi({ description: 'Same as location.address' }),
    stationId: id.nullable().optional().openapi({ description: "Default: the creator's station, else the station of the nearest camera in the radius" }),
  })
  .strict()
  .openapi('IncidentInput');
export type CreateIncidentInput = z.infer<typeof CreateIncidentSchema>;

export const PatchIncidentSchema = z
  .object({
    title: plainString().trim().min(1).max(200).optional(),
    category: z.string().min(1).max(32).optional(),
    description: multiline().max(10_000).optional(),
    status: z.enum(INCIDENT_STATUSES).optional(),
    location: LocationInput.optional(),
    radius: z.number().positive().optional(),
    from: iso().optional(),
    to: iso().optional(),
    stationId: id.nullable().optional(),
    version: z.number().int().positive().optional().openapi({ description: 'The version you read; a stale one is a 409' }),
  })
  .strict()
  .openapi('IncidentPatch');
export type PatchIncidentInput = z.infer<typeof PatchIncidentSchema>;

export const AssigneesSchema = z.object({ userIds: z.array(id).max(50) }).strict().openapi('IncidentAssignees');
export const AddCameraSchema = z.object({ cameraId: id }).strict().openapi('IncidentCameraInput');
export const StationSchema = z.object({ stationId: id.nullable() }).strict().openapi('UserStation');

export const ListQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: plainString().max(200).optional(),
    status: z.enum(INCIDENT_STATUSES).optional(),
    category: z.string().max(32).optional(),
    stationId: id.optional(),
    assigned: z.enum(['me']).optional().openapi({ description: 'me: only incidents assigned to the caller' }),
    q: plainString().trim().max(200).optional(),
    from: iso().optional().openapi({ description: 'Incidents whose window ends after this' }),
    to: iso().optional().openapi({ description: 'Incidents whose window starts before this' }),
  })
  .strict();
export type ListQuery = z.infer<typeof ListQuerySchema>;

export const IdParams = z.object({ id });
export const CameraParams = z.object({ id, cameraId: id });

const Person = z.object({ id: z.string(), username: z.string(), displayName: z.string() });

export const IncidentSchema = z
  .object({
    id: z.string(),
    number: z.string().openapi({ example: '新安派出所-2026-00123' }),
    title: z.string(),
    category: z.string(),
    description: z.string(),
    status: z.enum(INCIDENT_STATUSES),
    from: z.string(),
    to: z.string(),
    location: z.object({ lat: z.number(), lon: z.number(), address: z.string().nullable() }),
    radius: z.number(),
    station: z.object({ id: z.string(), name: z.string() }).nullable(),
    assignees: z.array(Person),
    createdBy: Person.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
  })
  .openapi('Incident');

export const IncidentListSchema = z.object({ items: z.array(IncidentSchema), nextCursor: z.string().nullable() }).openapi('IncidentList');

export const IncidentCameraListSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    radius: z.number(),
    items: z.array(
      z.object({
        cameraId: z.string(),
        name: z.string(),
        kind: z.string(),
        status: z.string(),
        lat: z.number(),
        lon: z.number(),
        address: z.string().nullable(),
        distance: z.number().openapi({ description: 'Metres from the incident location' }),
        inRadius: z.boolean(),
        manual: z.boolean().openapi({ description: 'Added by hand' }),
        coverage: z.number().nullable().openapi({ description: 'Recorded share of the window up to now (0..1)' }),
        recordedSeconds: z.number(),
        sharing: z.enum(SHARING_MODES).optional().openapi({ description: 'on_request: recordings need an approved footage request' }),
        timeline: z.object({
          spans: z.array(z.object({ from: z.string(), to: z.string() })),
          gaps: z.array(z.object({ from: z.string(), to: z.string(), cause: z.enum(GAP_CAUSES) })),
        }),
      }),
    ),
  })
  .openapi('IncidentCameras');

export const HistorySchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        at: z.string(),
        actor: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
        action: z.string(),
        changes: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .openapi('IncidentHistory');

export const MetaSchema = z
  .object({ categories: z.array(z.string()), statuses: z.array(z.enum(INCIDENT_STATUSES)), maxRadius: z.number() })
  .openapi('IncidentMeta');
