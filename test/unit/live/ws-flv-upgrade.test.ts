/**
 * The WS-FLV upgrade listener against upgrades nobody signed in for: a path that is no URL, or a
 * camera id with a malformed percent-encoding. Each threw inside the http server's 'upgrade'
 * listener, where nothing catches: the process ended (mocha reports such an exception as a failure).
 * A real http server and raw sockets; the live service is a fake that refuses every token.
 */
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { expect } from 'chai';
import { WebSocket } from 'ws';
import { attachWsFlv, WS_CLOSE, type WsFlv } from '@server/live/ws-flv';
import type { LiveService } from '@server/live/live-service';
import type { Logger } from '@server/http/logger';

/** Sends a WebSocket upgrade for `path` as it is (no client library would send these); resolves with what came back. */
function upgrade(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () =>
      s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`),
    );
    let got = '';
    s.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n')) s.destroy();
    });
    s.on('error', reject);
    s.on('close', () => resolve(got));
    setTimeout(() => s.destroy(), 300).unref();
  });
}

describe('WS-FLV upgrades with malformed paths (real http server, fake live service)', () => {
  let server: Server;
  let ws: WsFlv;
  let port: number;
  const asked: string[] = [];
  const sockets = new Set<Socket>();

  before(async () => {
    server = createServer((_req, res) => res.end('ok'));
    server.on('connection', (s: Socket) => sockets.add(s));
    const live = { authorize: async (_t: string | undefined, cameraId: string) => (asked.push(cameraId), { ok: false, reason: 'missing' }) } as unknown as LiveService;
    const logger = { warn: () => undefined, info: () => undefined, error: () => undefined } as unknown as Logger;
    ws = attachWsFlv(server, live, logger);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    ws.close();
    // Upgrades nobody took stay paused, blind to the peer's close (socket.io's engine ends them in
    // the real server): end them here.
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it('a camera id with a malformed percent-encoding is no camera (4404), and the server lives on', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/live/%E0%A4%A.flv?token=x`);
    const code = await new Promise<number>((resolve, reject) => (socket.once('close', resolve), socket.once('error', reject)));
    expect(code).to.equal(WS_CLOSE.notFound);
    expect(asked, 'the token was never checked for it').to.deep.equal([]);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await res.text()).to.equal('ok');
  });

  it('an upgrade whose path is no URL is left alone, and the server lives on', async () => {
    await upgrade(port, '//');
    await upgrade(port, '//%zz');
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await res.text()).to.equal('ok');
  });
});
