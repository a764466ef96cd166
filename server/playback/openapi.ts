/** OpenAPI entries for recorded playback (registered once, on import). */
import { api, problems, z } from '@server/schemas/openapi';
import { PlaybackQuery } from '@server/ledger/range';

const CameraIdParam = z.object({ id: z.string().uuid().openapi({ description: 'Camera id' }) });
const MediaParams = z.object({ cameraId: z.string().uuid(), range: z.string().openapi({ description: '<fromMs>-<toMs>, as in the URL given' }) });
const TokenQuery = z.object({ token: z.string().openapi({ description: 'Token from GET /api/v1/cameras/{id}/playback (opens that camera and range only)' }) });

api.registerPath({
  method: 'get',
  path: '/api/v1/cameras/{id}/playback',
  tags: ['recordings'],
  summary: 'A tokenised HLS VOD playlist URL over the recordings of a camera in a range (default: the hour before `to`); audited',
  description:
    "Household and shopfront cameras shared `on_request` replay only inside an incident (`incident`), over the range their owner released to it (the playlist stops at the approval's end); `live_only` cameras never replay.",
  request: {
    params: CameraIdParam,
    query: PlaybackQuery,
  },
  responses: {
    200: { description: 'Absolute playlist URL, valid for archive.playbackTtl while the sign-in and role it was issued to last and the footage stays replayable for that user (else its media answer 401 / 403)', content: { 'application/json': { schema: z.object({ url: z.string() }).openapi('RecordedPlayback') } } },
    ...problems(400, 401, 403, 404),
  },
});

for (const [path, summary, type] of [
  ['/api/v1/playback/{cameraId}/{range}/index.m3u8', 'VOD playlist (fMP4, EXT-X-MAP per file, discontinuities, program-date-time, ENDLIST)', 'application/vnd.apple.mpegurl'],
  ['/api/v1/playback/{cameraId}/{range}/{start}/init.mp4', 'Init section (ftyp+moov) of one recorded file', 'video/mp4'],
  ['/api/v1/playback/{cameraId}/{range}/{start}/media.m4s', 'Media (moof+mdat) of one recorded file, streamed', 'video/iso.segment'],
] as const) {
  api.registerPath({
    method: 'get',
    path,
    tags: ['recordings'],
    summary,
    security: [],
    request: { params: path.includes('{start}') ? MediaParams.extend({ start: z.string() }) : MediaParams, query: TokenQuery },
    responses: { 200: { description: summary, content: { [type]: { schema: z.string() } } }, ...problems(401, 403, 404) },
  });
}
