/**
 * Live FLV for the Sky Eye path: an HTTP server of this process stands for the API's FLV routes
 * reduced to their media path (the gate's viewer piped into the HTTP response,
 * `server/live/media-routes.ts`, or into a WebSocket stream at /ws/<id>, `server/live/ws-flv.ts`,
 * which the console's wall tiles use); the probe's players read HTTP, and with `--viewers` one
 * curl per camera reads it as a browser would, in a process of its own (not billed to node;
 * children are counted only when reaped); with `--viewers-ws` one node process (the browser of a
 * wall) holds a WebSocket per camera instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { MediaServer } from '@workers/rtmp/media-server';

export type ViewerTransport = 'http' | 'ws';

/** The wall's browser: keeps one WebSocket open per URL it is sent (IPC), reading and dropping. */
const WS_BROWSER = `
const WebSocket = require('ws');
const open = new Map();
process.on('message', (urls) => {
  for (const [u, w] of open) if (!urls.includes(u)) { open.delete(u); w.terminate(); }
  for (const u of urls) {
    if (open.has(u)) continue;
    const w = new WebSocket(u);
    w.on('message', () => {});
    w.on('error', () => {});
    w.on('close', () => open.get(u) === w && open.delete(u));
    open.set(u, w);
  }
});
process.on('disconnect', () => process.exit(0));
`;

export class FlvViewers {
  private readonly curls = new Map<string, ChildProcess>();
  private browser: ChildProcess | null = null;

  private constructor(
    private readonly server: http.Server,
    private readonly port: number,
    private readonly transport: ViewerTransport,
  ) {}

  static async start(media: MediaServer, transport: ViewerTransport = 'http'): Promise<FlvViewers> {
    const server = http.createServer((req, res) => {
      const ac = new AbortController();
      res.on('close', () => ac.abort());
      const id = decodeURIComponent(req.url!.slice(1));
      // The probe's players may come before the camera's ingest: make its gate entry (the ingest
      // asks for the same one). The API instead falls back to node-media-server, whose player waits.
      media
        .liveOutput(id)
        .then(() => {
          const stream = media.watchLive(id, ac.signal);
          if (!stream) return void res.writeHead(404).end();
          res.useChunkedEncodingByDefault = false; // as the API's FLV route: close-delimited
          res.writeHead(200, { 'content-type': 'video/x-flv' });
          return pipeline(stream, res);
        })
        .catch(() => res.destroy());
    });
    // As server/live/ws-flv.ts: the gate's viewer piped into the socket's stream.
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        const ac = new AbortController();
        ws.on('close', () => ac.abort());
        const stream = media.watchLive(decodeURIComponent(req.url!.slice('/ws/'.length)), ac.signal);
        if (!stream) return ws.close(1011);
        const sink = createWebSocketStream(ws);
        sink.resume();
        pipeline(stream, sink).catch(() => ws.terminate());
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return new FlvViewers(server, (server.address() as AddressInfo).port, transport);
  }

  /** The camera's FLV as the API serves it. */
  url(id: string): string {
    return `http://127.0.0.1:${this.port}/${encodeURIComponent(id)}`;
  }

  /** Exactly one viewer for each of `ids`: a curl each, or a WebSocket each in one browser process. */
  set(ids: readonly string[]): void {
    if (this.transport === 'ws') {
      this.browser ??= spawn(process.execPath, ['-e', WS_BROWSER], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      this.browser.send(ids.map((id) => `ws://127.0.0.1:${this.port}/ws/${encodeURIComponent(id)}`));
      return;
    }
    for (const [id, c] of this.curls) {
      if (ids.includes(id)) continue;
      c.kill();
      this.curls.delete(id);
    }
    for (const id of ids) {
      if (this.curls.has(id)) continue;
      const c = spawn('curl', ['-s', '-o', '/dev/null', this.url(id)], { stdio: 'ignore' });
      c.on('error', () => undefined);
      c.once('exit', () => this.curls.get(id) === c && this.curls.delete(id)); // the next set() starts another
      this.curls.set(id, c);
    }
  }

  async close(): Promise<void> {
    const b = this.browser;
    if (b && b.exitCode === null && b.signalCode === null) await new Promise<void>((r) => (b.once('exit', () => r()), b.kill()));
    await Promise.all([...this.curls.values()].map((c) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : (c.once('exit', () => r()), c.kill())))));
    this.curls.clear();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
