/**
 * Live FLV for the Sky Eye path: an HTTP server of this process stands for the API's FLV route
 * reduced to its media path (the gate's viewer piped into the response, `server/live/media-routes.ts`);
 * the probe's players read it, and with `--viewers` one curl per camera reads it as a browser
 * would, in a process of its own (not billed to node; children are counted only when reaped).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { MediaServer } from '@workers/rtmp/media-server';

export class FlvViewers {
  private readonly curls = new Map<string, ChildProcess>();

  private constructor(
    private readonly server: http.Server,
    private readonly port: number,
  ) {}

  static async start(media: MediaServer): Promise<FlvViewers> {
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
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return new FlvViewers(server, (server.address() as AddressInfo).port);
  }

  /** The camera's FLV as the API serves it. */
  url(id: string): string {
    return `http://127.0.0.1:${this.port}/${encodeURIComponent(id)}`;
  }

  /** Exactly one curl viewer for each of `ids`. */
  set(ids: readonly string[]): void {
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
    await Promise.all([...this.curls.values()].map((c) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : (c.once('exit', () => r()), c.kill())))));
    this.curls.clear();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
