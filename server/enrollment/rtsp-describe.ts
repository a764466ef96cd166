/**
 * Verifies a plain RTSP camera without ffmpeg: RTSP DESCRIBE (Digest or Basic auth on a 401),
 * size- and time-capped, then checks the SDP for an H.264/H.265 video track.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { DeviceError } from '@server/discovery/errors';

export interface RtspResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface DescribeOptions {
  timeoutMs: number;
  maxBytes: number;
  username?: string;
  password?: string;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Parses `Digest a="b", c=d` parameters. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const scheme = (/^\s*(\w+)/.exec(header)?.[1] ?? '').toLowerCase();
  const params: Record<string, string> = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header)) !== null) params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  return { scheme, params };
}

export function authorization(challenge: string, method: string, uri: string, username: string, password: string): string {
  const { scheme, params } = parseChallenge(challenge);
  if (scheme === 'basic') return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const realm = params.realm ?? '';
  const nonce = params.nonce ?? '';
  const ha1 = md5(`${username}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const q = (params.qop ?? '').split(',').map((s) => s.trim());
  if (q.includes('auth')) {
    const nc = '00000001';
    const cnonce = randomBytes(8).toString('hex');
    const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
    return `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", qop=auth, nc=${nc}, cnonce="${cnonce}"${params.opaque ? `, opaque="${params.opaque}"` : ''}`;
  }
  return `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${md5(`${ha1}:${nonce}:${ha2}`)}"${params.opaque ? `, opaque="${params.opaque}"` : ''}`;
}

/** One RTSP request on a fresh connection. */
export function rtspRequest(url: URL, method: string, headers: Record<string, string>, o: DescribeOptions): Promise<RtspResponse> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: url.hostname, port: Number(url.port || 554) });
    let buf = Buffer.alloc(0);
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
    socket.on('connect', () => {
      const lines = [`${method} ${url.toString()} RTSP/1.0`, 'CSeq: 1', 'User-Agent: SkyEye', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      socket.write(lines.join('\r\n') + '\r\n\r\n');
    });
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length > o.maxBytes) return finish(new DeviceError('malformed_response', 'the RTSP reply was larger than allowed'));
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.subarray(0, end).toString('latin1').split('\r\n');
      const status = /^RTSP\/1\.\d (\d{3})/.exec(head[0] ?? '');
      if (!status) return finish(new DeviceError('malformed_response', 'the reply is not RTSP'));
      const hdrs: Record<string, string> = {};
      for (const l of head.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) hdrs[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const len = Number(hdrs['content-length'] ?? 0);
      if (!Number.isFinite(len) || len < 0 || len > o.maxBytes) return finish(new DeviceError('malformed_response', 'bad RTSP Content-Length'));
      if (buf.length - end - 4 < len) return;
      finish(null, { status: Number(status[1]), headers: hdrs, body: buf.subarray(end + 4, end + 4 + len).toString('utf8') });
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
    const challenge = res.headers['www-authenticate'];
    if (!challenge || o.username === undefined) throw new DeviceError('auth_failed', 'the camera requires credentials');
    res = await rtspRequest(url, 'DESCRIBE', { ...base, Authorization: authorization(challenge, 'DESCRIBE', url.toString(), o.username, o.password ?? '') }, o);
    if (res.status === 401) throw new DeviceError('auth_failed', 'the camera refused the credentials');
  }
  if (res.status !== 200) throw new DeviceError('not_onvif', `the camera answered DESCRIBE with ${res.status}`);
  const codec = videoCodecOf(res.body);
  if (!codec) throw new DeviceError('malformed_response', 'the stream has no H.264/H.265 video track');
  return { codec, sdp: res.body };
}
