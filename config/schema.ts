/**
 * The one typed configuration. Every key has a default (or is optional) and a description;
 * README's configuration table is printed from this file by `npm run config:doc`.
 * Order of precedence: defaults < config file (SKYEYE_CONFIG, JSON) < environment.
 */
import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { COORD_SYSTEMS } from '@common/domain';
import { parseDuration, parseSize } from './units';

/** An Ed25519 private key: PKCS#8 PEM, or base64 of its DER (one line, for the environment). */
export function parseEd25519PrivateKey(text: string): ReturnType<typeof createPrivateKey> {
  const t = text.trim();
  const key = t.startsWith('-----BEGIN') ? createPrivateKey(t) : createPrivateKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`must be an Ed25519 key, got ${key.asymmetricKeyType ?? 'a symmetric key'}`);
  return key;
}

const ed25519Key = z.string().superRefine((v, ctx) => {
  try {
    parseEd25519PrivateKey(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: `not an Ed25519 private key (PKCS#8 PEM or base64 DER): ${(e as Error).message}` });
  }
});

const duration = (def: string) =>
  z.union([z.string(), z.number()]).default(def).transform((v, ctx) => {
    try {
      return parseDuration(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  });

const size = (def: string) =>
  z.union([z.string(), z.number()]).default(def).transform((v, ctx) => {
    try {
      return parseSize(v);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  });

const port = z.coerce.number().int().min(0).max(65535);
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');

export const configSchema = z
  .object({
    role: z.enum(['all', 'api', 'worker']).default('all').describe('Which parts this process runs: api, worker or all (one machine).'),
    dataDir: z.string().default('./data').describe('Local state: embedded database, embedded S3 store, recording cache, generated secrets.'),
    http: z
      .object({
        host: z.string().default('127.0.0.1').describe('Address the HTTP server binds.'),
        port: port.default(8080).describe('HTTP port for the API, console and socket.io.'),
        processes: z.coerce
          .number()
          .int()
          .min(1)
          .max(64)
          .default(1)
          .describe('API processes sharing the HTTP port (node:cluster; role api only, with database.url and redis.url). Each serves requests and socket.io; ops listener i is on opsPort + i. 1: this process serves.'),
        trustProxy: bool.default(false).describe('Trust X-Forwarded-* headers from a reverse proxy.'),
        publicUrl: z
          .url({ protocol: /^https?$/ })
          .optional()
          .describe('URL browsers reach Sky Eye at (e.g. https://skyeye.example.gov). Live URLs are built from it instead of the Host header; its origin may open socket.io. Unset: the request\'s own host.'),
        allowedOrigins: z
          .union([z.array(z.url()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))])
          .default([])
          .describe('More browser origins allowed to open a cookie-authenticated socket.io connection ("a,b" in the environment). Empty: publicUrl\'s origin, or same origin (Host) when that is unset.'),
        bodyLimit: size('1MB').describe('Largest request body on every route except camera import (import.maxBytes, read only after sign-in).'),
        opsHost: z.string().default('127.0.0.1').describe('Address of the ops listener serving /metrics (loopback: only this machine can scrape it).'),
        opsPort: port.default(9464).describe('Port of the ops listener serving /metrics (0: any free port). /metrics is not served on the API port.'),
      })
      .strict()
      .prefault({}),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level.') })
      .strict()
      .prefault({}),
    database: z
      .object({
        url: z.string().optional().describe('PostgreSQL URL (secret: environment only). Unset: embedded PGlite in dataDir/pglite.'),
        poolSize: z.coerce.number().int().min(1).max(200).default(10).describe('PostgreSQL connection pool size.'),
        analyzeInterval: duration('10m').describe('How often planner statistics are refreshed (ANALYZE) where nothing else does it: always on embedded PGlite (it has no autovacuum), on PostgreSQL only when autovacuum is off. After imports the cameras table is refreshed 3 s after the last of a run.'),
      })
      .strict()
      .prefault({}),
    storage: z
      .object({
        endpoint: z.string().optional().describe('S3 endpoint URL. Unset: an embedded S3-compatible server on 127.0.0.1.'),
        region: z.string().default('us-east-1').describe('S3 region.'),
        bucket: z.string().default('skyeye').describe('Bucket for recordings, clips and exports.'),
        accessKeyId: z.string().optional().describe('S3 access key id (secret: environment only).'),
        secretAccessKey: z.string().optional().describe('S3 secret key (secret: environment only).'),
        forcePathStyle: bool.default(true).describe('Path-style bucket addressing (MinIO, most self-hosted stores).'),
      })
      .strict()
      .prefault({}),
    redis: z
      .object({
        url: z.string().optional().describe('Redis URL for the socket.io adapter across api and worker processes. Unset: single process.'),
        prefix: z.string().min(1).max(64).default('skyeye').describe('Channel prefix in Redis, so several Sky Eye installations can share one Redis.'),
      })
      .strict()
      .prefault({}),
    security: z
      .object({
        credentialKeys: z
          .string()
          .optional()
          .describe('Camera-credential encryption keys, "id:base64key,..." (32-byte keys, first one encrypts; secret: environment only). Unset: a key generated in dataDir/secrets.'),
        sessionTtl: duration('12h').describe('Lifetime of a sign-in session or API token.'),
        sessionCache: bool
          .default(true)
          .describe('Authenticate requests from sessions kept in memory, told of every change by the database (server/auth/session-cache.ts); false: every request reads its session from the database.'),
        loginMaxAttempts: z.coerce.number().int().min(1).default(10).describe('Failed sign-ins per user and address within loginWindow before further tries are refused.'),
        loginWindow: duration('15m').describe('Window for loginMaxAttempts.'),
        cookieSecure: bool.default(false).describe('Mark the session cookie Secure (set behind HTTPS).'),
        evidenceSigningKey: ed25519Key
          .optional()
          .describe('Ed25519 private key signing evidence exports: PKCS#8 PEM or base64 of its DER (secret: environment only). Unset: generated into dataDir/secrets/evidence-signing-key.pem.'),
      })
      .strict()
      .prefault({}),
    admin: z
      .object({
        username: z.string().min(1).default('admin').describe('User name of the first administrator, created on first start.'),
        password: z.string().min(8).optional().describe('Password of the first administrator (secret: environment only). Unset: generated into dataDir/secrets/admin-password.'),
      })
      .strict()
      .prefault({}),
    sim: z
      .object({
        cameras: z.coerce.number().int().min(0).max(256).default(8).describe('Simulated demo cameras started and enrolled at start-up (0 for none).'),
        discovery: bool.default(true).describe('Demo cameras answer WS-Discovery probes (on loopback), so a scan in the console finds them.'),
        baseOctet: z.coerce.number().int().min(1).max(254).default(10).describe('Demo cameras listen on 127.0.1.<baseOctet + i> (loopback).'),
        mode: z.enum(['replay', 'loop']).default('replay').describe('How demo cameras send video: replay (the clip packetised once, sent from memory) or loop (an ffmpeg per watched stream).'),
      })
      .strict()
      .prefault({}),
    ingest: z
      .object({
        enabled: bool.default(true).describe('Run the ingest runtime in roles worker and all (false: registry and API only).'),
        maxCameras: z.coerce.number().int().min(1).max(10000).default(200).describe('Most cameras one worker process ingests (its capacity); the rest wait for other workers.'),
        recordingSegment: duration('60s').describe('Length of one recording segment file (ffmpeg segment muxer, cut at wall-clock boundaries).'),
        leaseTtl: duration('15s').describe('Camera lease lifetime; a worker that stops renewing loses its cameras to others after this.'),
        maxRestartDelay: duration('30s').describe('Longest wait before an ingest restart, jitter included (backoff steps 1s, 2s, 5s, 10s, 30s are capped here); a camera that answers the probe again after an outage restarts at once.'),
        advertiseUrl: z.url().optional().describe('URL where api processes reach this worker for live media (e.g. http://worker-1:8080). Unset: http://<http.host>:<port>.'),
        cacheMinFree: size('5GB').describe('Free disk space kept on the data directory: below it archived cache copies go first, then (with an alarm, recorded) the oldest un-archived segments, so recording goes on.'),
        retentionCheck: duration('60s').describe('How often the recording cache is checked (archived copies past archive.cacheKeep, the cacheMinFree floor) and orphaned cache files are indexed.'),
        staleAfter: duration('6s').describe('A running camera whose live HLS playlist was not written for this long is stalled (and restarted); at least 3 HLS segments (a GOP is often 2 s).'),
      })
      .strict()
      .prefault({}),
    archive: z
      .object({
        enabled: bool.default(true).describe('Upload recorded segments to the S3 store (stage two of recording) in roles worker and all.'),
        cacheKeep: duration('1h').describe('How long an archived segment stays in the local cache (hot tier) before its copy there goes.'),
        uploadConcurrency: z.coerce.number().int().min(1).max(64).default(2).describe('Segments one worker uploads at once.'),
        uploadInterval: duration('2s').describe('How often the uploader looks for segments to upload when idle.'),
        uploadRetryMax: duration('5m').describe('Longest wait between upload attempts of one segment (backoff 2s doubling, capped here; retries never stop).'),
        multipartThreshold: size('128MB').describe('Recording segments of this size or larger are archived as S3 multipart uploads (parts of multipartPartSize, each with its SHA-256); smaller ones (a 60 s segment up to ~16 Mb/s) in one PUT with the whole object\'s SHA-256, which is faster and costs the store less.'),
        multipartPartSize: size('8MB').refine((n) => n >= 5 * 1024 ** 2 && n <= 5 * 1024 ** 3, 'must be between 5MB and 5GB (S3 part size limits)').describe('Part size of multipart uploads (S3 allows 5MB to 5GB; at most 10,000 parts, larger files get larger parts).'),
        uploadClaimTtl: duration('2m').describe('An upload claim expires after this unless renewed (a killed uploader\'s segment is taken up again).'),
        retentionCheck: duration('1h').describe('How often archived segments past their camera\'s retention days are deleted (objects and rows, held ranges exempt).'),
        retentionBatch: z.coerce.number().int().min(1).max(10000).default(500).describe('Most segments one retention batch deletes (one audit entry per batch).'),
        // Recording-continuity ledger and playback (server/ledger, server/playback).
        gapAlert: duration('2m').describe('A camera whose current recording gap is longer than this raises recording:gap (socket.io) and skyeye_recording_gaps_open.'),
        playbackTtl: duration('6h').describe('Lifetime of a recorded-playback URL (its token opens only that camera and time range).'),
      })
      .strict()
      .prefault({}),
    clips: z
      .object({
        worker: bool.default(true).describe('Run a clip worker (cuts queued clip jobs with ffmpeg) in roles worker and all.'),
        maxLength: duration('4h').describe('Longest clip one job may cut.'),
        maxCameras: z.coerce.number().int().min(1).max(256).default(32).describe('Most cameras one clip request may name.'),
        claimTtl: duration('30s').describe('A clip job\'s claim expires after this unless its worker renews it (a dead worker\'s job is taken up by another).'),
        maxAttempts: z.coerce.number().int().min(1).max(20).default(3).describe('Claims of one clip job before it fails for good.'),
        pollInterval: duration('5s').describe('How often an idle clip worker looks for queued jobs (new jobs in the same process wake it at once).'),
        singlePutLimit: size('2GB')
          .refine((n) => n <= 5 * 1024 ** 3, 'must be at most 5GB (the largest object S3 takes in one PUT)')
          .describe('A finished clip up to this size is stored in one PUT carrying its SHA-256, which the store verifies; a larger one as a multipart upload (parts of archive.multipartPartSize, each with its own SHA-256).'),
      })
      .strict()
      .prefault({}),
    discovery: z
      .object({
        multicastInterface: z.string().default('127.0.0.1').describe('Local address whose interface sends WS-Discovery multicast probes (TTL 1).'),
        allowedRanges: z
          .union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))])
          .default(['127.0.0.0/8'])
          .describe('CIDR ranges discovery may probe or follow device addresses into ("a/n,b/m" in the environment).'),
        probeTimeout: duration('3s').describe('How long a WS-Discovery probe waits for replies.'),
        scanConcurrency: z.coerce.number().int().min(1).max(256).default(32).describe('Addresses probed at once by a unicast scan.'),
        scanTimeout: duration('30s').describe('Longest a whole scan may run.'),
        soapTimeout: duration('5s').describe('Longest one ONVIF SOAP request may take.'),
        maxResponseBytes: size('256KB').describe('Largest SOAP or WS-Discovery reply accepted from a device.'),
        onvifPorts: z
          .union([z.array(z.coerce.number().int().min(1).max(65535)), z.string().transform((s) => s.split(',').map((x) => Number(x.trim())).filter((n) => Number.isInteger(n) && n > 0 && n < 65536))])
          .default([80, 8000, 8080])
          .describe('Ports a unicast scan tries ONVIF GetSystemDateAndTime on when an address gives no WS-Discovery reply.'),
        maxMatchesPerReply: z.coerce.number().int().min(1).max(256).default(16).describe('ProbeMatch entries read from one WS-Discovery datagram; the rest are dropped and counted.'),
        maxDevicesPerScan: z.coerce.number().int().min(1).max(16384).default(1024).describe('Devices one scan keeps; further replies are dropped and the scan result says it was capped.'),
      })
      .strict()
      .prefault({}),
    network: z
      .object({
        allowedRanges: z
          .union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))])
          .default(['127.0.0.0/8'])
          .describe(
            'CIDR ranges Sky Eye may dial cameras in ("a/n,b/m" in the environment): every camera address (rtspUrl, rtspSubUrl, onvifUrl) must be an IPv4 address inside them, for every role, on create, update and import. Unset: discovery.allowedRanges if that is set (and discovery.allowedRanges defaults to this).',
          ),
      })
      .strict()
      .prefault({}),
    cameras: z
      .object({
        merchantMaxRetentionDays: z.coerce.number().int().min(1).max(3650).default(30).describe('Longest recording retention (days) a merchant may set on their own cameras; staff may set up to 3650.'),
      })
      .strict()
      .prefault({}),
    live: z
      .object({
        enabled: bool.default(true).describe('Run the built-in node-media-server (RTMP push ingest and HTTP-FLV live) in roles worker and all.'),
        rtmpHost: z.string().default('127.0.0.1').describe('Address the built-in RTMP and HTTP-FLV listeners bind (loopback unless cameras push from other machines).'),
        rtmpPort: port.default(1935).describe('RTMP port for pushing cameras and the ingest republish (0: any free port).'),
        flvPort: port.default(8935).describe('HTTP-FLV/WS-FLV port of node-media-server; only the API proxies to it (0: any free port).'),
        publicHost: z.string().optional().describe('Host name cameras use to push RTMP, shown in push-key URLs. Unset: rtmpHost.'),
        flvOnDemand: bool.default(true).describe('Feed a camera into node-media-server only while someone watches its FLV (ingest ffmpeg writes FLV to a loopback listener that keeps the last GOP); false: every ingest republishes RTMP all the time.'),
        flvIdleGrace: duration('10s').describe('With flvOnDemand: how long the FLV republish goes on after the last viewer of a camera left. Also how long the on-demand sub-stream ffmpeg of a camera outlives the last viewer of its sub stream.'),
        playbackTokenTtl: duration('60s').describe('Lifetime of a signed live playback token (HLS/FLV URLs).'),
        playbackTokenSecret: z
          .string()
          .min(32)
          .optional()
          .describe('HMAC key signing playback tokens, at least 32 characters (secret: environment only). Unset: generated into dataDir/secrets/playback-secret.'),
        hlsSegmentSeconds: z.coerce.number().min(1).max(10).default(1).describe('Target duration of live HLS segments in seconds.'),
        hlsListSize: z.coerce.number().int().min(3).max(30).default(6).describe('Segments listed in the live HLS playlist.'),
      })
      .strict()
      .prefault({}),
    alarms: z
      .object({
        after: duration('30s').describe('How long a camera must be offline, auth_failed, unreachable or stalled before an alarm is raised (once per outage).'),
        webhookUrl: z
          .url({ protocol: /^https?$/ })
          .optional()
          .describe('Webhook receiving every alarm raise, acknowledgement and resolution as JSON (POST, signed: X-SkyEye-Signature: sha256=<HMAC-SHA256 of the body>). Unset: no webhook.'),
        webhookSecret: z.string().min(16).optional().describe('HMAC-SHA256 key signing webhook bodies (secret: environment only; at least 16 characters). Required with webhookUrl.'),
        webhookTimeout: duration('10s').describe('Longest one webhook delivery may take.'),
        webhookRetryMax: duration('5m').describe('Longest wait between delivery attempts of one webhook event (backoff 1s doubling, capped here; retries never stop, events go out in order).'),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.webhookUrl && !v.webhookSecret) ctx.addIssue({ code: 'custom', path: ['webhookSecret'], message: 'required when alarms.webhookUrl is set' });
      })
      .prefault({}),
    incidents: z
      .object({
        categories: z
          .union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))])
          .pipe(z.array(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'lower-case letters, digits and _')).min(1))
          .default(['dispute', 'theft', 'traffic', 'criminal', 'other'])
          .describe('Incident categories (lower-case keys; the console labels the default ones, others show as written).'),
        numberPrefix: z.string().min(1).max(40).default('天眼').describe('Number prefix of incidents without a station (others use the station name: 新安派出所-2026-00123).'),
        numberTimeZone: z
          .string()
          .default('Asia/Shanghai')
          .refine((tz) => {
            try {
              new Intl.DateTimeFormat('en', { timeZone: tz });
              return true;
            } catch {
              return false;
            }
          }, 'unknown time zone').describe('Time zone whose calendar year numbers incidents (the counter restarts each year).'),
        maxRadius: z.coerce.number().positive().max(100_000).default(5_000).describe('Largest incident search radius in metres.'),
        maxWindow: duration('31d').describe('Longest incident time window (from..to).'),
        maxCameras: z.coerce.number().int().min(1).max(2_000).default(200).describe('Most cameras an incident suggests (nearest first) besides those added by hand.'),
      })
      .strict()
      .prefault({}),
    map: z
      .object({
        tileUrl: z.string().regex(/^https?:\/\/[^/\s]+\/\S*\{z\}\S*$/, 'an http(s) URL template with {z}, {x} and {y}').optional().describe('Map tile URL template (e.g. a county tile server: https://tiles.example/{z}/{x}/{y}.png); its origin is added to the console CSP img-src. Unset: the map draws cameras and the demo town on a plain background (works offline).'),
        tileAttribution: z.string().max(200).default('').describe('Attribution shown under the map tiles.'),
        tileCoords: z
          .enum(COORD_SYSTEMS)
          .default('wgs84')
          .describe('Coordinate system the tiles are drawn in: wgs84 (OSM-style servers) or gcj02 (Chinese providers such as AMap or Tencent). With gcj02 the console shifts the stored WGS-84 positions onto the tiles and shifts clicks and drawn areas back. Ignored without tileUrl.'),
      })
      .strict()
      .prefault({}),
    import: z
      .object({ maxRows: z.coerce.number().int().min(1).default(10_000).describe('Most rows in one bulk import.'), maxBytes: size('20MB').describe('Largest import body.') })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((v, ctx) => {
    // Several api processes share one database, one socket.io bus and (unless the primary hosts it) one store.
    if (v.http.processes > 1) {
      const need = (ok: boolean, path: string[], message: string) => ok || ctx.addIssue({ code: 'custom', path, message });
      need(v.role === 'api', ['http', 'processes'], 'more than 1 needs role "api" (workers and role all hold cameras; run several of those as separate processes)');
      need(!!v.database.url, ['database', 'url'], 'required when http.processes is more than 1 (the embedded PGlite database is single-process)');
      need(!!v.redis.url, ['redis', 'url'], 'required when http.processes is more than 1 (socket.io events reach the consoles on every process through Redis)');
    }
  });

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
