/**
 * The one typed configuration. Every key has a default (or is optional) and a description;
 * README's configuration table is printed from this file by `npm run config:doc`.
 * Order of precedence: defaults < config file (SKYEYE_CONFIG, JSON) < environment.
 */
import { z } from 'zod';
import { parseDuration, parseSize } from './units';

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
        trustProxy: bool.default(false).describe('Trust X-Forwarded-* headers from a reverse proxy.'),
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
        loginMaxAttempts: z.coerce.number().int().min(1).default(10).describe('Failed sign-ins per user and address within loginWindow before further tries are refused.'),
        loginWindow: duration('15m').describe('Window for loginMaxAttempts.'),
        cookieSecure: bool.default(false).describe('Mark the session cookie Secure (set behind HTTPS).'),
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
      })
      .strict()
      .prefault({}),
    ingest: z
      .object({
        enabled: bool.default(true).describe('Run the ingest runtime in roles worker and all (false: registry and API only).'),
        maxCameras: z.coerce.number().int().min(1).max(10000).default(200).describe('Most cameras one worker process ingests (its capacity); the rest wait for other workers.'),
        recordingSegment: duration('60s').describe('Length of one recording segment file (ffmpeg segment muxer, cut at wall-clock boundaries).'),
        leaseTtl: duration('15s').describe('Camera lease lifetime; a worker that stops renewing loses its cameras to others after this.'),
        maxRestartDelay: duration('30s').describe('Longest wait before an ingest restart (backoff steps 1s, 2s, 5s, 10s, 30s are capped here).'),
        advertiseUrl: z.url().optional().describe('URL where api processes reach this worker for live media (e.g. http://worker-1:8080). Unset: http://<http.host>:<port>.'),
        cacheMinFree: size('5GB').describe('Free disk space kept on the data directory: below it the oldest cached recording segments are deleted so recording goes on.'),
        retentionCheck: duration('60s').describe('How often the recording cache is checked against each camera\'s retention days and cacheMinFree.'),
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
        playbackTokenTtl: duration('60s').describe('Lifetime of a signed live playback token (HLS/FLV URLs).'),
        playbackTokenSecret: z
          .string()
          .min(32)
          .optional()
          .describe('HMAC key signing playback tokens, at least 32 characters (secret: environment only). Unset: generated into dataDir/secrets/playback-secret.'),
        hlsSegmentSeconds: z.coerce.number().min(1).max(10).default(1).describe('Target duration of live HLS segments in seconds.'),
      })
      .strict()
      .prefault({}),
    import: z
      .object({ maxRows: z.coerce.number().int().min(1).default(10_000).describe('Most rows in one bulk import.'), maxBytes: size('20MB').describe('Largest import body.') })
      .strict()
      .prefault({}),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;

/** Environment variables and the config key each sets. Secrets may come from here only. */
export const ENV_KEYS: Record<string, string> = {
  SKYEYE_ROLE: 'role',
  SKYEYE_DATA_DIR: 'dataDir',
  SKYEYE_HTTP_HOST: 'http.host',
  SKYEYE_HTTP_PORT: 'http.port',
  SKYEYE_TRUST_PROXY: 'http.trustProxy',
  SKYEYE_LOG_LEVEL: 'log.level',
  DATABASE_URL: 'database.url',
  SKYEYE_DB_POOL_SIZE: 'database.poolSize',
  SKYEYE_S3_ENDPOINT: 'storage.endpoint',
  SKYEYE_S3_REGION: 'storage.region',
  SKYEYE_S3_BUCKET: 'storage.bucket',
  SKYEYE_S3_ACCESS_KEY_ID: 'storage.accessKeyId',
  SKYEYE_S3_SECRET_ACCESS_KEY: 'storage.secretAccessKey',
  SKYEYE_S3_FORCE_PATH_STYLE: 'storage.forcePathStyle',
  SKYEYE_REDIS_URL: 'redis.url',
  SKYEYE_REDIS_PREFIX: 'redis.prefix',
  SKYEYE_ADVERTISE_URL: 'ingest.advertiseUrl',
  SKYEYE_INGEST_ENABLED: 'ingest.enabled',
  SKYEYE_INGEST_MAX_CAMERAS: 'ingest.maxCameras',
  SKYEYE_CREDENTIAL_KEYS: 'security.credentialKeys',
  SKYEYE_SESSION_TTL: 'security.sessionTtl',
  SKYEYE_LOGIN_MAX_ATTEMPTS: 'security.loginMaxAttempts',
  SKYEYE_LOGIN_WINDOW: 'security.loginWindow',
  SKYEYE_COOKIE_SECURE: 'security.cookieSecure',
  SKYEYE_ADMIN_USERNAME: 'admin.username',
  SKYEYE_ADMIN_PASSWORD: 'admin.password',
  SKYEYE_SIM_CAMERAS: 'sim.cameras',
  SKYEYE_SIM_BASE_OCTET: 'sim.baseOctet',
  SKYEYE_SIM_DISCOVERY: 'sim.discovery',
  SKYEYE_INGEST_RECORDING_SEGMENT: 'ingest.recordingSegment',
  SKYEYE_INGEST_LEASE_TTL: 'ingest.leaseTtl',
  SKYEYE_INGEST_MAX_RESTART_DELAY: 'ingest.maxRestartDelay',
  SKYEYE_INGEST_CACHE_MIN_FREE: 'ingest.cacheMinFree',
  SKYEYE_INGEST_RETENTION_CHECK: 'ingest.retentionCheck',
  SKYEYE_IMPORT_MAX_ROWS: 'import.maxRows',
  SKYEYE_DISCOVERY_INTERFACE: 'discovery.multicastInterface',
  SKYEYE_DISCOVERY_ALLOWED_RANGES: 'discovery.allowedRanges',
  SKYEYE_DISCOVERY_PROBE_TIMEOUT: 'discovery.probeTimeout',
  SKYEYE_DISCOVERY_SCAN_CONCURRENCY: 'discovery.scanConcurrency',
  SKYEYE_DISCOVERY_SCAN_TIMEOUT: 'discovery.scanTimeout',
  SKYEYE_DISCOVERY_SOAP_TIMEOUT: 'discovery.soapTimeout',
  SKYEYE_DISCOVERY_MAX_RESPONSE_BYTES: 'discovery.maxResponseBytes',
  SKYEYE_DISCOVERY_ONVIF_PORTS: 'discovery.onvifPorts',
  SKYEYE_LIVE_ENABLED: 'live.enabled',
  SKYEYE_LIVE_RTMP_HOST: 'live.rtmpHost',
  SKYEYE_LIVE_RTMP_PORT: 'live.rtmpPort',
  SKYEYE_LIVE_FLV_PORT: 'live.flvPort',
  SKYEYE_LIVE_PUBLIC_HOST: 'live.publicHost',
  SKYEYE_PLAYBACK_TOKEN_TTL: 'live.playbackTokenTtl',
  SKYEYE_PLAYBACK_SECRET: 'live.playbackTokenSecret',
  SKYEYE_LIVE_HLS_SEGMENT_SECONDS: 'live.hlsSegmentSeconds',
};

/** Keys that may only come from the environment (or a secrets file), never from the config file. */
export const SECRET_KEYS = ['database.url', 'storage.accessKeyId', 'storage.secretAccessKey', 'security.credentialKeys', 'admin.password', 'live.playbackTokenSecret'];
