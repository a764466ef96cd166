/**
 * Publishes a camera's FLV bytes into node-media-server from inside this process, for the
 * on-demand republish (flv-gate.ts): an internal publisher session on /live/<cameraId> fed
 * through node-media-server's own FLV parser, exactly as its HTTP-FLV publish path does. Players
 * (HTTP-FLV, WS-FLV through the API) see an ordinary publisher with its GOP cache.
 *
 * Internal sessions are known by identity (`isInternalSession`), so the media server's publish
 * policy (RTMP only, from our own ffmpeg) can let them pass without any key.
 */
import BaseSession from 'node-media-server/src/session/base_session.js';
import BroadcastServer from 'node-media-server/src/server/broadcast_server.js';
import Flv from 'node-media-server/src/protocol/flv.js';
import Context from 'node-media-server/src/core/context.js';
import { LIVE_APP } from './urls';

const internal = new WeakSet<object>();

export function isInternalSession(s: object): boolean {
  return internal.has(s);
}

export interface Republish {
  /** FLV bytes in stream order, starting with the 13-byte file header. */
  write(chunk: Buffer): void;
  /**
   * 'idle': nobody watches, the publish ends now (its caches dropped). 'source-gone': the ingest
   * ffmpeg went away; players stay and a new publish continues their timeline (node-media-server's
   * publish grace).
   */
  stop(how: 'idle' | 'source-gone'): void;
  /** Bytes handed to node-media-server's parser. */
  readonly bytes: number;
}

const pathOf = (cameraId: string) => `/${LIVE_APP}/${cameraId}`;

/** Starts an internal publish of /live/<cameraId>; null when someone else publishes it now. */
export function startRepublish(cameraId: string, onError: (err: string) => void): Republish | null {
  const path = pathOf(cameraId);
  const broadcast = Context.broadcasts.get(path) ?? new BroadcastServer(path);
  Context.broadcasts.set(path, broadcast);
  const session = new BaseSession();
  internal.add(session);
  Object.assign(session, { protocol: 'flv', isPublisher: true, streamApp: LIVE_APP, streamName: cameraId, streamPath: path });
  if (broadcast.postPublish(session) !== null) return null;
  const flv = new Flv();
  flv.onPacketCallback = (packet) => broadcast.broadcastMessage(packet);
  let bytes = 0;
  let stopped = false;
  const rep: Republish = {
    write(chunk) {
      if (stopped) return;
      bytes += chunk.length;
      const err = flv.parserData(chunk);
      if (err) {
        onError(err);
        rep.stop('source-gone');
      }
    },
    stop(how) {
      if (stopped) return;
      stopped = true;
      if (broadcast.publisher !== session) return;
      session.endTime = Date.now();
      if (how === 'idle') broadcast._finishPublish();
      else broadcast.donePublish(session);
    },
    get bytes() {
      return bytes;
    },
  };
  return rep;
}

/** Ends a publish left in node-media-server's grace window by an internal session (nobody watches any more). */
export function finishInternalPublish(cameraId: string): void {
  const b = Context.broadcasts.get(pathOf(cameraId));
  if (b?.publisher && internal.has(b.publisher)) b._finishPublish();
}
