/** OpenAPI entries for the alarm routes (registered once, on import). */
import { ALARM_KINDS } from '@common/alarms';
import { api, problems, z } from '@server/schemas/openapi';
import { AckBody, AlarmListQuery } from './routes';

export const AlarmSchema = z
  .object({
    id: z.string().uuid(),
    cameraId: z.string().uuid(),
    cameraName: z.string(),
    kind: z.enum(ALARM_KINDS),
    since: z.string().datetime().openapi({ description: 'When the camera went down (or the recording gap began)' }),
    raisedAt: z.string().datetime().openapi({ description: 'since + SKYEYE_ALARM_AFTER (archive.gapAlert for recording gaps)' }),
    resolvedAt: z.string().datetime().nullable().openapi({ description: 'When the camera came back; the alarm stays open until acknowledged' }),
    acknowledgedAt: z.string().datetime().nullable(),
    acknowledgedBy: z.string().nullable().openapi({ description: 'User name (null for merchants)' }),
    note: z.string().nullable().openapi({ description: 'Acknowledgement note (null for merchants)' }),
  })
  .openapi('Alarm');

const IdParam = z.object({ id: z.string().uuid().openapi({ description: 'Alarm id' }) });

api.registerPath({
  method: 'get',
  path: '/api/v1/alarms',
  tags: ['alarms'],
  summary: 'Alarms of the cameras the user may see (merchants: their own cameras), unacknowledged first, newest first (at most 500)',
  request: { query: AlarmListQuery },
  responses: { 200: { description: 'Alarms', content: { 'application/json': { schema: z.object({ items: z.array(AlarmSchema) }) } } }, ...problems(400, 401) },
});

api.registerPath({
  method: 'post',
  path: '/api/v1/alarms/{id}/ack',
  tags: ['alarms'],
  summary: 'Acknowledge an alarm with an optional note (administrators and operators; audited as alarm.acknowledge)',
  request: { params: IdParam, body: { content: { 'application/json': { schema: AckBody } } } },
  responses: { 200: { description: 'The acknowledged alarm', content: { 'application/json': { schema: AlarmSchema } } }, ...problems(400, 401, 403, 404, 409) },
});
