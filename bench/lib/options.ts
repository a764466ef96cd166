/** Command-line flags of `npm run bench`. */
import { parseArgs } from 'node:util';

export interface BenchOptions {
  cameras: number;
  maxCameras: number;
  stepSeconds: number;
  /** Measured window of the last ramp step (default stepSeconds): a long hold at the top. */
  holdSeconds: number;
  json: boolean;
  width: number;
  height: number;
  bitrateKbps: number;
  recordSeconds: number;
  rebootSeconds: number;
  markers: number;
  cpuLimitPct: number;
  cpuBasis: 'own' | 'machine';
  baseOctet: number;
  /** How the simulator publishes: replay (from memory, the default) or loop (an ffmpeg per camera). */
  simMode: 'replay' | 'loop';
  /** Which paths the capacity ramp runs (all three by default). */
  rampPaths: Array<'skyeye' | 'baseline' | 'baselineSame'>;
  flv: boolean;
  /** FLV republish into node-media-server all the time (before issue 13), not only while watched. */
  flvAlways: boolean;
  /** One FLV viewer per Sky Eye camera (skyeye.ts): HTTP (a curl each) or WebSocket (the wall's path); null: none. */
  viewers: 'http' | 'ws' | null;
  verbose: boolean;
  /** Clip lengths of the clip phase, minutes (empty: no clip phase). */
  clipMinutes: number[];
  clipsOnly: boolean;
  /** Cameras of the archive phase (0: no archive phase). */
  archiveCameras: number;
  archiveSeconds: number;
  archiveSegmentSeconds: number;
  archiveOnly: boolean;
  /** Run only the control-plane phase (control.ts). */
  control: boolean;
  controlCameras: number;
  controlSeconds: number;
  controlSockets: number;
  controlDatabases: Array<'pglite' | 'postgres'>;
  controlPgUrl: string;
  /** On PostgreSQL, also run the api as this many processes (http.processes, with Redis); 1: not. */
  controlApiProcesses: number;
  controlRedisUrl: string;
  /** Control phase: only the read routes whose names start with one of these (null: all). */
  controlRoutes: string[] | null;
}

export const USAGE = `npm run bench -- [flags]
  --cameras N         first ramp step (default 2); steps double up to --max-cameras
  --max-cameras N     last ramp step (default 16)
  --step-seconds S    measured window per step (default 20)
  --hold-seconds S    measured window of the last step (default --step-seconds; e.g. 600 for 10 minutes)
  --resolution R      1080p | 720p (default 1080p)
  --bitrate KBPS      camera main-stream bitrate (default 4000 for 1080p, 1200 for 720p)
  --record-seconds S  Sky Eye recording segment length (default 10; production default 60)
  --reboot-seconds S  camera reboot length for the recovery test (default 5)
  --markers N         latency markers (default 5)
  --cpu-limit PCT     capacity limit, % of total machine CPU (default 70)
  --cpu-basis B       own: the path's processes (default) | machine: whole machine incl. others' load
  --base-octet N      cameras on 127.0.1.<N..> (default 220)
  --sim-mode M        replay: the simulator sends its packetised clip from memory (default);
                      loop: an ffmpeg per camera publishes it (before 2026-12-03; ~2.5x its CPU)
  --ramp-paths P      capacity ramp only for these, comma-separated: skyeye, baseline, baselineSame
                      (default all three; e.g. a 10-minute hold of Sky Eye alone at 100 cameras)
  --no-flv            Sky Eye without the FLV output
  --flv-always        FLV republished into node-media-server all the time (RTMP), not only while watched
  --viewers           one live FLV viewer per Sky Eye camera, as the console's tile gets it: a curl
                      (billed apart, like a browser) reading what the API's FLV route pipes
  --viewers-ws        the same over WebSocket, as the console's wall tiles get it (server/live/ws-flv.ts's
                      media path), all held by one node process standing for the browser (billed apart)
  --clip-minutes L    clip phase: comma-separated clip lengths in minutes (default 5,60; 0 skips it)
  --clips-only        run only the clip phase
  --archive-cameras N archive phase: N recorder outputs at --bitrate, segment close -> verified in S3,
                      Sky Eye's uploader vs bare PutObject+GetObject (default 0: skipped; 16 with --archive-only)
  --archive-seconds S archive phase: seconds of recording per path (default 60; three runs of it)
  --archive-segment-seconds S  archive phase: segment length (default 10; production 60)
  --archive-only      run only the archive phase
  --control           run only the control-plane phase: an api process, cameras imported through
                      the API, autocannon on the registry's read routes, CSV export, RSS
  --control-cameras N control phase: cameras imported (default 100000, 10 requests)
  --control-seconds S control phase: seconds of load per route (default 15)
  --control-sockets N control phase: socket.io consoles timed receiving camera:updated, quiet and
                      during 10k imports (default 1000; 0 skips)
  --control-db D      control phase: pglite | postgres | both (default both)
  --control-pg-url U  control phase: PostgreSQL server for a scratch database
                      (default DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test)
  --control-api-processes N  control phase: after the single-process PostgreSQL run, the same
                      with the api as N processes on one port (http.processes, role api, Redis);
                      ratios to the single process (default 2; 1 skips)
  --control-redis-url U  control phase: Redis for that run (default SKYEYE_REDIS_URL, else
                      redis://127.0.0.1:6379)
  --control-routes R  control phase: only the read routes whose names start with one of these,
                      comma-separated (e.g. "list,get"; /healthz always runs; default all)
  --json              also write bench/results/latest.json (with --control: its control part only)
  --verbose           print ingest warnings`;

function num(v: string | undefined, def: number, name: string, min = 1): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      cameras: { type: 'string' },
      'max-cameras': { type: 'string' },
      'step-seconds': { type: 'string' },
      'hold-seconds': { type: 'string' },
      resolution: { type: 'string' },
      bitrate: { type: 'string' },
      'record-seconds': { type: 'string' },
      'reboot-seconds': { type: 'string' },
      markers: { type: 'string' },
      'cpu-limit': { type: 'string' },
      'cpu-basis': { type: 'string' },
      'base-octet': { type: 'string' },
      'sim-mode': { type: 'string' },
      'ramp-paths': { type: 'string' },
      'no-flv': { type: 'boolean' },
      'flv-always': { type: 'boolean' },
      viewers: { type: 'boolean' },
      'viewers-ws': { type: 'boolean' },
      'clip-minutes': { type: 'string' },
      'clips-only': { type: 'boolean' },
      'archive-cameras': { type: 'string' },
      'archive-seconds': { type: 'string' },
      'archive-segment-seconds': { type: 'string' },
      'archive-only': { type: 'boolean' },
      control: { type: 'boolean' },
      'control-cameras': { type: 'string' },
      'control-seconds': { type: 'string' },
      'control-sockets': { type: 'string' },
      'control-db': { type: 'string' },
      'control-pg-url': { type: 'string' },
      'control-api-processes': { type: 'string' },
      'control-redis-url': { type: 'string' },
      'control-routes': { type: 'string' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (v.help) return 'help';
  const res = v.resolution ?? '1080p';
  if (res !== '1080p' && res !== '720p') throw new Error('--resolution must be 1080p or 720p');
  const basis = v['cpu-basis'] ?? 'own';
  if (basis !== 'own' && basis !== 'machine') throw new Error('--cpu-basis must be own or machine');
  const simMode = v['sim-mode'] ?? 'replay';
  if (simMode !== 'replay' && simMode !== 'loop') throw new Error('--sim-mode must be replay or loop');
  const rampPaths = (v['ramp-paths'] ?? 'skyeye,baseline,baselineSame').split(',').map((x) => x.trim());
  for (const p of rampPaths) if (p !== 'skyeye' && p !== 'baseline' && p !== 'baselineSame') throw new Error('--ramp-paths takes skyeye, baseline, baselineSame');
  const db = v['control-db'] ?? 'both';
  if (db !== 'pglite' && db !== 'postgres' && db !== 'both') throw new Error('--control-db must be pglite, postgres or both');
  const cameras = num(v.cameras, 2, 'cameras');
  const maxCameras = Math.max(cameras, num(v['max-cameras'], 16, 'max-cameras'));
  const baseOctet = num(v['base-octet'], 220, 'base-octet');
  if (baseOctet + maxCameras - 1 > 254) throw new Error('--base-octet + --max-cameras must stay within 127.0.1.254');
  const stepSeconds = num(v['step-seconds'], 20, 'step-seconds', 5);
  return {
    cameras,
    maxCameras,
    stepSeconds,
    holdSeconds: num(v['hold-seconds'], stepSeconds, 'hold-seconds', 5),
    json: v.json ?? false,
    width: res === '1080p' ? 1920 : 1280,
    height: res === '1080p' ? 1080 : 720,
    bitrateKbps: num(v.bitrate, res === '1080p' ? 4000 : 1200, 'bitrate', 100),
    recordSeconds: num(v['record-seconds'], 10, 'record-seconds', 2),
    rebootSeconds: num(v['reboot-seconds'], 5, 'reboot-seconds', 1),
    markers: num(v.markers, 5, 'markers', 0),
    cpuLimitPct: num(v['cpu-limit'], 70, 'cpu-limit'),
    cpuBasis: basis,
    baseOctet,
    simMode,
    rampPaths: rampPaths as BenchOptions['rampPaths'],
    flv: !v['no-flv'],
    flvAlways: v['flv-always'] ?? false,
    viewers: v['viewers-ws'] ? 'ws' : v.viewers ? 'http' : null,
    verbose: v.verbose ?? false,
    clipMinutes: clipMinutes(v['clip-minutes']),
    clipsOnly: v['clips-only'] ?? false,
    archiveCameras: num(v['archive-cameras'], v['archive-only'] ? 16 : 0, 'archive-cameras', 0),
    archiveSeconds: num(v['archive-seconds'], 60, 'archive-seconds', 2),
    archiveSegmentSeconds: num(v['archive-segment-seconds'], 10, 'archive-segment-seconds', 2),
    archiveOnly: v['archive-only'] ?? false,
    control: v.control ?? false,
    controlCameras: num(v['control-cameras'], 100_000, 'control-cameras', 10),
    controlSeconds: num(v['control-seconds'], 15, 'control-seconds', 1),
    controlSockets: num(v['control-sockets'], 1000, 'control-sockets', 0),
    controlDatabases: db === 'both' ? ['pglite', 'postgres'] : [db],
    controlPgUrl: v['control-pg-url'] ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    controlApiProcesses: num(v['control-api-processes'], 2, 'control-api-processes', 1),
    controlRedisUrl: v['control-redis-url'] ?? process.env.SKYEYE_REDIS_URL ?? 'redis://127.0.0.1:6379',
    controlRoutes: v['control-routes'] ? v['control-routes'].split(',').map((x) => x.trim().toLowerCase()).filter(Boolean) : null,
  };
}

function clipMinutes(v: string | undefined): number[] {
  if (v === undefined) return [5, 60];
  if (v.trim() === '0') return [];
  const list = v.split(',').map((x) => Number(x.trim()));
  if (!list.length || list.some((n) => !Number.isInteger(n) || n < 1 || n > 240)) throw new Error('--clip-minutes must be whole minutes 1..240, comma-separated (or 0)');
  return list;
}

/** 2, 4, 8, 16 ... capped at max (max always included). */
export function rampSteps(first: number, max: number): number[] {
  const out: number[] = [];
  for (let n = first; n < max; n *= 2) out.push(n);
  out.push(max);
  return out;
}
