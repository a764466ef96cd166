/**
 * Verifies a plain RTSP camera without ffmpeg: RTSP DESCRIBE (Digest on a 401; Basic only over
 * rtsps or when allowed), size- and time-capped, then checks the SDP for an H.264/H.265 video
 * track. Framing and Digest come from the shared protocol package.
 */
import { createConnection, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { authorizationHeader, offersOnlyBasic, pickChallenge } from '@protocol/auth/digest';
import { getHeaders, RtspFramer } from '@protocol/rtsp/framer';
import { DeviceError } from '@server/discovery/errors';

export interface RtspResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

export interface DescribeOptions {
  timeoutMs: number;
  maxBytes: number;
  username?: string;
  password?: string;
  /** Answer a Basic-only camera over plain rtsp:// (default: Basic only over rtsps://). */
  allowBasic?: boolean;
}

function dial(url: URL): Socket {
  const host = url.hostname;
  if (url.protocol === 'rtsps:') return tlsConnect({ host, port: Number(url.port || 322), rejectUnauthorized: false });
  return createConnection({ host, port: Number(url.port || 554) });
}

/** One RTSP request on a fresh connection. */
export function rtspRequest(url: URL, method: string, headers: Record<string, string>, o: DescribeOptions): Promise<RtspResponse> {
  return new Promise((resolve, reject) => {
    const socket = dial(url);
    const framer = new RtspFramer();
    let received = 0;
    let settled = false;
    const finish = (err: Error | null, r?: RtspResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(r!);
    };
    const timer = setTimeout(() => finish(new DeviceError('timeout', 'the camera did not answer RTSP in time')), o.timeoutMs);
    socket.on('error', (e) => finish(e));
    socket.on('close', () => finish(new DeviceError('malformed_response', 'the camera closed the RTSP connection')));
    socket.on(url.protocol === 'rtsps:' ? 'secureConnect' : 'connect', () => {
      const lines = [`${method} ${url.toString()} RTSP/1.0`, 'CSeq: 1', 'User-Agent: SkyEye', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      socket.write(lines.join('\r\n') + '\r\n\r\n');
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > o.maxBytes) return finish(new DeviceError('malformed_response', 'the RTSP reply was larger than allowed'));
      let items;
      try {
        items = framer.push(chunk);
      } catch {
        return finish(new DeviceError('malformed_response', 'the reply is not RTSP'));
      }
      const m = items.find((i) => i.type === 'message');
      if (!m || m.type !== 'message') {
        if (items.length > 0) finish(new DeviceError('malformed_response', 'the reply is not RTSP'));
        return;
      }
      const status = /^RTSP\/1\.\d (\d{3})/.exec(m.startLine);
      if (!status) return finish(new DeviceError('malformed_response', 'the reply is not RTSP'));
      finish(null, { status: Number(status[1]), headers: m.headers, body: m.body.toString('utf8') });
    });
  });
}

export interface DescribeResult {
  codec: 'H264' | 'H265';
  sdp: string;
}

/** The video codec of the first H.264/H.265 track, or undefined. */
export function videoCodecOf(sdp: string): 'H264' | 'H265' | undefined {
  let inVideo = false;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) inVideo = line.startsWith('m=video');
    const m = inVideo ? /^a=rtpmap:\d+\s+(H264|H265|HEVC)\//i.exec(line) : null;
    if (m) return m[1]!.toUpperCase() === 'H264' ? 'H264' : 'H265';
  }
  return undefined;
}

/** DESCRIBE with auth; throws a DeviceError (unreachable, auth_failed, not_onvif->unsupported stream, timeout...). */
export async function describeRtsp(rtspUrl: string, o: DescribeOptions): Promise<DescribeResult> {
  const url = new URL(rtspUrl);
  url.username = '';
  url.password = '';
  const base = { Accept: 'application/sdp' };
  let res = await rtspRequest(url, 'DESCRIBE', base, o).catch((e: unknown) => {
    throw e instanceof DeviceError ? e : new DeviceError('unreachable', `RTSP connection failed (${(e as { code?: string }).code ?? 'error'})`);
  });
  if (res.status === 401) {
    const offered = getHeaders(res.headers, 'www-authenticate');
    if (offered.length === 0 || o.username === undefined) throw new DeviceError('auth_failed', 'the camera requires credentials');
    const challenge = pickChallenge(offered, { allowBasic: url.protocol === 'rtsps:' || o.allowBasic === true });
    if (!challenge) {
      throw new DeviceError('auth_failed', offersOnlyBasic(offered) ? 'the camera offers only Basic authentication over plain RTSP' : 'the camera offers no supported authentication');
    }
    const auth = authorizationHeader(challenge, { username: o.username, password: o.password ?? '' }, 'DESCRIBE', url.toString());
    res = await rtspRequest(url, 'DESCRIBE', { ...base, Authorization: auth }, o);
    if (res.status === 401) throw new DeviceError('auth_failed', 'the camera refused the credentials');
  }
  if (res.status !== 200) throw new DeviceError('not_onvif', `the camera answered DESCRIBE with ${res.status}`);
  const codec = videoCodecOf(res.body);
  if (!codec) throw new DeviceError('malformed_response', 'the stream has no H.264/H.265 video track');
  return { codec, sdp: res.body };
}
