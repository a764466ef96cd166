/**
 * Cheap "is the camera answering?" check used while a camera is down, so ffmpeg is started only
 * once it answers and at once when it does: one TCP connection, one RTSP OPTIONS (no credentials:
 * userinfo is stripped, and any RTSP answer, 401 included, counts), closed straight after.
 */
import net from 'node:net';
import type { CameraStatus } from '@common/domain';
import { STATUS_CAUSES } from '@common/causes';
import type { IngestCameraSpec } from './spec';

/** Why a probe found the camera silent: the status and cause the supervisor reports meanwhile. */
export interface ProbeFailure {
  status: Extract<CameraStatus, 'unreachable' | 'offline'>;
  cause: string;
  detail: string;
}

/** The camera answered (true), or why not; never rejects. */
export type ProbeResult = true | ProbeFailure;

export type CameraProbe = (spec: IngestCameraSpec) => Promise<ProbeResult>;

/** A socket error or silence in the status words the ffmpeg stderr classifier uses for the same thing. */
export function probeFailure(code: string | undefined, detail: string): ProbeFailure {
  switch (code) {
    case 'ECONNREFUSED':
      return { status: 'unreachable', cause: STATUS_CAUSES.connectionRefused, detail };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { status: 'unreachable', cause: STATUS_CAUSES.noRoute, detail };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { status: 'unreachable', cause: STATUS_CAUSES.hostNotResolved, detail };
    case 'ETIMEDOUT':
    case 'timeout':
      return { status: 'offline', cause: STATUS_CAUSES.timeout, detail };
    default:
      return { status: 'offline', cause: STATUS_CAUSES.connectionClosed, detail };
  }
}

export interface RtspTarget {
  host: string;
  port: number;
  /** Request URI without userinfo. */
  uri: string;
}

/** rtsp://[user:pass@]host[:port]/path -> where to connect and what to ask; null if not rtsp://. */
export function rtspTarget(url: string): RtspTarget | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'rtsp:') return null;
  u.username = '';
  u.password = '';
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 554, uri: u.toString() };
}

export function rtspOptionsRequest(uri: string): string {
  return `OPTIONS ${uri} RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: SkyEye-probe\r\n\r\n`;
}

export function probeRtsp(url: string, timeoutMs: number): Promise<ProbeResult> {
  const t = rtspTarget(url);
  if (!t) return Promise.resolve(true); // nothing to probe cheaply: let ffmpeg try
  return new Promise((resolve) => {
    let done = false;
    let got = '';
    const sock = net.connect({ host: t.host, port: t.port });
    const finish = (r: ProbeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish(probeFailure('timeout', `no RTSP answer from ${t.host}:${t.port} within ${timeoutMs} ms`)), timeoutMs);
    sock.setNoDelay(true);
    sock.once('connect', () => sock.write(rtspOptionsRequest(t.uri)));
    sock.on('data', (b: Buffer) => {
      got += b.toString('latin1');
      if (got.length >= 5) finish(got.startsWith('RTSP/') ? true : probeFailure(undefined, `${t.host}:${t.port} answered, but not RTSP`));
    });
    sock.once('error', (err: NodeJS.ErrnoException) => finish(probeFailure(err.code, `RTSP OPTIONS to ${t.host}:${t.port}: ${err.code ?? err.message}`)));
    sock.once('close', () => finish(probeFailure(undefined, `${t.host}:${t.port} closed the connection without an RTSP answer`)));
  });
}

/** The probe ingest uses: RTSP OPTIONS for pulled cameras; pushed cameras are not probed. */
export function createCameraProbe(timeoutMs = 1_000): CameraProbe {
  return (spec) => (spec.pushInputUrl ? Promise.resolve(true) : probeRtsp(spec.rtspUrl, timeoutMs));
}
