/**
 * Where a stream's publisher (one of the simulator's own ffmpeg) delivers its RTP. ffmpeg's RTSP
 * muxer publishes to rtsp://127.0.0.1:<port>/publish over TCP (OPTIONS, ANNOUNCE, SETUP with
 * interleaved channels, RECORD), so the packets arrive as interleaved frames on one connection,
 * many to a read. Plain RTP over UDP cost a recvmsg and a JavaScript callback per packet (~430 a
 * second per 1080p 4 Mb/s camera), most of the simulator's CPU. The packets themselves are
 * unchanged: what the cameras serve is still ffmpeg's RTP (packets of up to 1,472 bytes on TCP).
 * Loopback only, no credentials: a publisher is a child process of this simulator.
 */
import { createServer, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { formatResponse, readRtspItems, type RtspRequest } from './parser';

export interface RecordHandlers {
  /** An RTP packet (even channel); the buffer is the handler's to keep and change. */
  rtp(pkt: Buffer): void;
  /** An RTCP packet (odd channel). */
  rtcp(pkt: Buffer): void;
}

export interface RecordSink {
  /** The URL to give ffmpeg (`-f rtsp -rtsp_transport tcp <url>`). */
  readonly url: string;
  close(): Promise<void>;
}

const PUBLIC = 'OPTIONS, ANNOUNCE, SETUP, RECORD, TEARDOWN';

/** The answer to one publisher request (pure). */
export function answerPublisher(req: RtspRequest, session: string): Buffer {
  const cseq = req.headers['cseq'];
  switch (req.method) {
    case 'OPTIONS':
      return formatResponse(200, 'OK', cseq, { Public: PUBLIC });
    case 'ANNOUNCE':
    case 'RECORD':
    case 'TEARDOWN':
      return formatResponse(200, 'OK', cseq, { Session: session });
    case 'SETUP': {
      const t = req.headers['transport'] ?? '';
      if (!/^RTP\/AVP\/TCP/i.test(t)) return formatResponse(461, 'Unsupported Transport', cseq);
      return formatResponse(200, 'OK', cseq, { Transport: t, Session: session });
    }
    default:
      return formatResponse(405, 'Method Not Allowed', cseq, { Allow: PUBLIC });
  }
}

export async function startRecordSink(on: RecordHandlers): Promise<RecordSink> {
  const conns = new Set<Socket>();
  const server = createServer((c) => {
    // A new publisher (a restart) replaces any earlier one.
    for (const old of conns) old.destroy();
    conns.add(c);
    c.on('close', () => conns.delete(c));
    c.on('error', () => c.destroy());
    const session = randomBytes(6).toString('hex');
    readRtspItems(c, (it) => {
      if (it.kind === 'request') c.write(answerPublisher(it.req, session));
      else if (it.channel % 2 === 0) on.rtp(it.data);
      else on.rtcp(it.data);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `rtsp://127.0.0.1:${port}/publish`,
    async close() {
      for (const c of conns) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
