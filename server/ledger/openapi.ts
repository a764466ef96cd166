/** OpenAPI entries for the ledger routes (registered once, on import). */
import { GAP_CAUSES } from '@common/timeline';
import { api, problems, z } from '@server/schemas/openapi';
import { RangeQuery } from './range';
import { CoverageQuery } from './routes';

const CameraIdParam = z.object({ id: z.string().uuid().openapi({ description: 'Camera id' }) });

export const TimelineSchema = z
  .object({
    spans: z.array(z.object({ from: z.string().datetime(), to: z.string().datetime() })),
    gaps: z.array(z.object({ from: z.string().datetime(), to: z.string().datetime(), cause: z.enum(GAP_CAUSES) })),
  })
  .openapi('Timeline');

export const CoverageSchema = z
  .object({
    from: z.string().datetime(),
    to: z.string().datetime(),
    below: z.number(),
    items: z.array(
      z.object({
        cameraId: z.string().uuid(),
        name: z.string(),
        coverage: z.number().openapi({ description: 'Recorded share of the window (0..1), the open segment not counted against it' }),
        recordedSeconds: z.number(),
        missing: z.record(z.string(), z.number()).openapi({ description: 'Missing seconds by gap cause' }),
      }),
    ),
  })
  .openapi('RecordingCoverage');

api.registerPath({
  method: 'get',
  path: '/api/v1/cameras/{id}/timeline',
  tags: ['recordings'],
  summary: 'Recorded spans and gaps (with cause) of a camera in a time range (at most 31 days)',
  request: { params: CameraIdParam, query: RangeQuery },
  responses: { 200: { description: 'Spans and gaps, in time order', content: { 'application/json': { schema: TimelineSchema } } }, ...problems(400, 401, 404) },
});

api.registerPath({
  method: 'get',
  path: '/api/v1/recordings/coverage',
  tags: ['recordings'],
  summary: 'Recording cameras whose coverage over the last hours is below a threshold, worst first (staff)',
  request: { query: CoverageQuery },
  responses: { 200: { description: 'Coverage report', content: { 'application/json': { schema: CoverageSchema } } }, ...problems(400, 401, 403) },
});
