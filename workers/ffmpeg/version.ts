/**
 * Which ffmpeg/ffprobe binary, and which option spellings it wants.
 *
 * Resolution order (first hit wins): FFMPEG_PATH / FFPROBE_PATH; an executable on PATH (scanned
 * directly, no shell); the npm optionalDependencies `@ffmpeg-installer/ffmpeg` /
 * `@ffprobe-installer/ffprobe`; otherwise an error that says what to install. The lookups are
 * injected so the order is unit-tested without touching the machine.
 *
 * The version is detected once per binary via `ffmpeg -version`; argument builders take the
 * result as plain data.
 */
import { execFile } from 'node:child_process';
import { accessSync, chmodSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type BinaryName = 'ffmpeg' | 'ffprobe';

export interface FfmpegCapabilities {
  /** Major version; 0 when unknown (treated as modern). */
  major: number;
  /** RTSP socket I/O timeout option: `-timeout` (5.0+, microseconds) or `-stimeout` (4.x). */
  rtspTimeoutOption: '-timeout' | '-stimeout';
}

/** ffmpeg 5 or later, or a version that could not be read (treated as modern). */
export function ffmpeg5(caps: Pick<FfmpegCapabilities, 'major'>): boolean {
  return caps.major === 0 || caps.major >= 5;
}

export interface ResolveDeps {
  /** Executable `name` in one of the directories of `pathVar` (PATH), or undefined. */
  findOnPath: (name: BinaryName, pathVar: string | undefined) => string | undefined;
  /** Path of the registry-packaged binary, or undefined when the optional package is absent. */
  packaged: (name: BinaryName) => string | undefined;
  /** Makes a packaged binary executable (npm may have skipped its postinstall `chmod u+x`); throws if it cannot. */
  ensureExecutable: (file: string) => void;
}

export type BinarySource = 'env' | 'system' | 'packaged';

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
}

const ENV_VAR: Record<BinaryName, 'FFMPEG_PATH' | 'FFPROBE_PATH'> = { ffmpeg: 'FFMPEG_PATH', ffprobe: 'FFPROBE_PATH' };
const PACKAGE: Record<BinaryName, string> = { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: '@ffprobe-installer/ffprobe' };

export class FfmpegNotFoundError extends Error {
  constructor(readonly binary: BinaryName) {
    super(
      `${binary} not found: not in ${ENV_VAR[binary]}, not on PATH, and the optional package ${PACKAGE[binary]} is not installed for ` +
        `${process.platform}-${process.arch}. Install ffmpeg from your distribution (apt-get install ffmpeg) or set ${ENV_VAR[binary]}.`,
    );
    this.name = 'FfmpegNotFoundError';
  }
}

/** Pure order: env, then PATH, then packaged (made executable if npm skipped its script), else throw. */
export function resolveBinary(name: BinaryName, env: NodeJS.ProcessEnv, deps: ResolveDeps): ResolvedBinary {
  const fromEnv = env[ENV_VAR[name]];
  if (fromEnv) return { path: fromEnv, source: 'env' };
  const onPath = deps.findOnPath(name, env.PATH);
  if (onPath) return { path: onPath, source: 'system' };
  const packaged = deps.packaged(name);
  if (packaged) {
    deps.ensureExecutable(packaged);
    return { path: packaged, source: 'packaged' };
  }
  throw new FfmpegNotFoundError(name);
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `which` without a shell. Empty PATH entries (= current directory) are ignored on purpose. */
export function findOnPath(name: string, pathVar: string | undefined, isExecutable: (file: string) => boolean = isExecutableFile): string | undefined {
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const file = path.join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

const requireHere = createRequire(import.meta.url);

/** `.path` of the optional installer package; undefined when it (or its platform package) is missing. */
export function packagedBinary(name: BinaryName): string | undefined {
  try {
    const mod = requireHere(PACKAGE[name]) as { path?: unknown };
    return typeof mod.path === 'string' ? mod.path : undefined;
  } catch {
    // Not installed (MODULE_NOT_FOUND), or the installer throws "Unsupported platform" / "Could not find".
    return undefined;
  }
}

/** chmod u+x when npm skipped the package's postinstall (allowScripts); clear error when that is not allowed. */
export function ensureExecutable(file: string): void {
  if (isExecutableFile(file)) return;
  try {
    chmodSync(file, statSync(file).mode | 0o100);
  } catch (err) {
    throw new Error(
      `packaged ${path.basename(file)} at ${file} is not executable and chmod failed (${(err as Error).message}); ` +
        `run chmod u+x on it, approve its install script (npm install-scripts approve), or install ffmpeg from your distribution (apt-get install ffmpeg) and set FFMPEG_PATH`,
    );
  }
  if (!isExecutableFile(file)) throw new Error(`packaged ${path.basename(file)} at ${file} is still not executable after chmod u+x`);
}

export const systemResolveDeps: ResolveDeps = { findOnPath: (name, p) => findOnPath(name, p), packaged: packagedBinary, ensureExecutable };

export function resolveFfmpegPath(env: NodeJS.ProcessEnv = process.env, deps: Partial<ResolveDeps> = {}): string {
  return resolveBinary('ffmpeg', env, { ...systemResolveDeps, ...deps }).path;
}

export function resolveFfprobePath(env: NodeJS.ProcessEnv = process.env, deps: Partial<ResolveDeps> = {}): string {
  return resolveBinary('ffprobe', env, { ...systemResolveDeps, ...deps }).path;
}

/** The packaged binary only (for compatibility tests against its older ffmpeg); undefined if absent here. */
export function packagedFfmpegPath(deps: Pick<ResolveDeps, 'packaged' | 'ensureExecutable'> = systemResolveDeps): string | undefined {
  const p = deps.packaged('ffmpeg');
  if (p) deps.ensureExecutable(p);
  return p;
}

/** libavformat major -> FFmpeg release major (libavformat owns the RTSP options). */
const LAVF_TO_FFMPEG: Record<number, number> = { 57: 3, 58: 4, 59: 5, 60: 6, 61: 7, 62: 8 };

/**
 * Parses `ffmpeg -version`. Release builds name their version on the first line ("5.1.9",
 * "n6.1.1"); git snapshots ("N-47683-g0e8eb07980", e.g. the npm-packaged 4.1 build) do not, so
 * the libavformat major on the library lines decides. Unknown counts as modern.
 */
export function parseFfmpegVersion(output: string): FfmpegCapabilities {
  const release = /ffmpeg version n?(\d+)\.(\d+)/i.exec(output);
  const lavf = /^libavformat\s+(\d+)\./m.exec(output);
  const major = release ? Number(release[1]) : lavf ? (LAVF_TO_FFMPEG[Number(lavf[1])] ?? 0) : 0;
  return { major, rtspTimeoutOption: ffmpeg5({ major }) ? '-timeout' : '-stimeout' };
}

const cache = new Map<string, Promise<FfmpegCapabilities>>();

export function detectFfmpeg(binary: string): Promise<FfmpegCapabilities> {
  let p = cache.get(binary);
  if (!p) {
    p = new Promise((resolve, reject) => {
      execFile(binary, ['-hide_banner', '-version'], { timeout: 10_000 }, (err, stdout) => {
        if (err) reject(new Error(`cannot run ${binary} -version: ${err.message}`));
        else resolve(parseFfmpegVersion(String(stdout)));
      });
    });
    cache.set(binary, p);
    p.catch(() => cache.delete(binary));
  }
  return p;
}
