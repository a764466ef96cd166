/** OpenAPI entries for the live-delivery routes (registered once, on import). */
import { api, problems, z } from '@server/schemas/openapi';

const CameraIdParam = z.object({ id: z.string().uuid().openapi({ description: 'Camera id' }) });
const LiveCameraParam = z.object({ cameraId: z.string().uuid() });
const TokenQuery = z.object({ token: z.string().openapi({ description: 'Playback token from GET /api/v1/cameras/{id}/live' }) });

export const PlaybackUrlsSchema = z
  .object({
    hls: z.string().openapi({ example: 'http://127.0.0.1:8080/api/v1/live/3f0c.../index.m3u8?token=v1...' }),
    flv: z.string().openapi({ example: 'http://127.0.0.1:8080/api/v1/live/3f0c....flv?token=v1...' }),
    sub: z
      .object({ flv: z.string().openapi({ example: 'http://127.0.0.1:8080/api/v1/live/3f0c.../sub.flv?token=v1...' }) })
      .optional()
      .openapi({ description: "Only for a camera with a sub stream: its lower-resolution stream, pulled from the camera only while someone watches it (same token, same rules; the wall's small tiles play it)" }),
    expiresAt: z.string().datetime(),
  })
  .openapi('LivePlayback');

export const PushKeySchema = z
  .object({
    streamKey: z.string().openapi({ description: 'Shown once; only its hash is stored. Append as ?key= to the URL.' }),
    url: z.string().openapi({ example: 'rtmp://127.0.0.1:1935/push/3f0c...' }),
  })
  .openapi('PushKey');

api.registerPath({
  method: 'get',
  path: '/api/v1/cameras/{id}/live',
  tags: ['live'],
  summary: 'Signed live playback URLs (HLS and HTTP-FLV) for a camera you may see',
  request: { params: CameraIdParam },
  responses: { 200: { description: 'Playback URLs, valid until expiresAt', content: { 'application/json': { schema: PlaybackUrlsSchema } } }, ...problems(401, 404) },
});

api.registerPath({
  method: 'post',
  path: '/api/v1/cameras/{id}/push-key',
  tags: ['live'],
  summary: 'Issue or rotate the RTMP push stream key of a camera (the previous key stops working)',
  request: { params: CameraIdParam },
  responses: { 201: { description: 'The new key, shown once', content: { 'application/json': { schema: PushKeySchema } } }, ...problems(401, 403, 404) },
});

const StreamQuery = TokenQuery.extend({
  stream: z.string().uuid().optional().openapi({ description: 'FLV only: an id the player picks for this stream (unique within its sign-in), to renew it' }),
});

api.registerPath({
  method: 'post',
  path: '/api/v1/live/streams/{streamId}/renew',
  tags: ['live'],
  summary: "Keep an open HTTP-FLV stream past its token's expiry with a fresh token of the same sign-in and camera",
  description: 'A stream not renewed closes at its deadline; a token whose sign-in ended (or whose user was disabled or changed role) is refused and closes the stream.',
  security: [],
  request: {
    params: z.object({ streamId: z.string().uuid() }),
    body: { content: { 'application/json': { schema: z.object({ token: z.string().openapi({ description: 'A fresh playback token (from GET /api/v1/cameras/{id}/live)' }) }) } } },
  },
  responses: { 200: { description: 'The stream now closes at expiresAt', content: { 'application/json': { schema: z.object({ expiresAt: z.string().datetime() }) } } }, ...problems(400, 401, 403, 404) },
});

const media = (path: string, summary: string, type: string, description: string) =>
  api.registerPath({
    method: 'get',
    path,
    tags: ['live'],
    summary,
    security: [],
    request: { params: path.includes('{file}') ? LiveCameraParam.extend({ file: z.string() }) : LiveCameraParam, query: path.endsWith('.flv') ? StreamQuery : TokenQuery },
    responses: { 200: { description, content: { [type]: { schema: z.string() } } }, ...problems(401, 403, 404) },
  });

media('/api/v1/live/{cameraId}/index.m3u8', 'Live HLS playlist (segment URIs carry the token)', 'application/vnd.apple.mpegurl', 'Playlist, Cache-Control: no-cache');
media('/api/v1/live/{cameraId}/{file}', 'Live HLS segment', 'video/mp2t', 'Segment, Cache-Control: private, max-age=86400, immutable');
media('/api/v1/live/{cameraId}/sub.flv', "The camera's sub stream as live FLV (404 when it has none), pulled from the camera on demand: the first player starts it, it stops live.flvIdleGrace after the last left. Same token, WebSocket upgrade, renewal and revocation as the main FLV stream", 'video/x-flv', 'Endless FLV stream');
media('/api/v1/live/{cameraId}.flv', 'Live FLV stream (mpegts.js), starts at the last keyframe. The same URL with ws(s):// and a WebSocket upgrade carries the stream as binary messages (a refused token closes it with 4401/4403, 4400 bad stream id, 4404, 4503; see server/live/README.md): browsers use that, as it is not held to six HTTP/1.1 connections per host', 'video/x-flv', 'Endless FLV stream');
