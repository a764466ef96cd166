/**
 * The slice of node-media-server 4.x (CommonJS, untyped) that workers/rtmp uses. Read from
 * node_modules/node-media-server/src: index.js, core/context.js, session/*.js, server/*.js.
 */
declare module 'node-media-server' {
  import type { EventEmitter } from 'node:events';
  import type { Server as HttpServer } from 'node:http';
  import type { Server as NetServer, Socket } from 'node:net';

  export interface NmsSession {
    id: string;
    /** "address:port" of the peer; "" for internal sessions (record, relay). */
    ip: string;
    protocol: string;
    isPublisher: boolean;
    streamApp: string;
    streamName: string;
    streamPath: string;
    streamQuery: Record<string, string | string[] | undefined>;
    close(): void;
    /** RTMP sessions only. */
    socket?: Socket;
    rtmp?: { onPacketCallback: (packet: unknown) => void };
    /** HTTP/WS-FLV sessions only. */
    req?: { socket?: Socket };
    res?: { terminate?: () => void; destroy?: () => void };
  }

  export interface NmsConfig {
    bind?: string;
    rtmp?: { port?: number };
    http?: { port?: number };
    webadmin?: { enable?: boolean };
    store?: { path?: string };
    record?: { auto?: boolean; path?: string };
    notify?: { url?: string };
  }

  export default class NodeMediaServer {
    constructor(config: NmsConfig, configPath?: string);
    on(event: 'prePublish' | 'postPublish' | 'donePublish' | 'prePlay' | 'postPlay' | 'donePlay', listener: (session: NmsSession) => void): void;
    run(): Promise<void>;
    stop(): Promise<void>;
    rtmpServer: { tcpServer?: NetServer; stop(): void };
    httpServer: { httpServer?: HttpServer; wsServer?: EventEmitter; stop(): void };
  }
}

declare module 'node-media-server/src/server/broadcast_server.js' {
  export default class BroadcastServer {
    constructor(streamPath: string);
    publisher: object | null;
    subscribers: Map<string, unknown>;
    getPublishStatus(): 'publishing' | 'reconnecting' | 'idle';
    /** Null on success, else why not (e.g. another publisher). */
    postPublish(session: object): string | null;
    /** Starts node-media-server's publish grace (30 s): the same (internal) client may resume. */
    donePublish(session: object): void;
    /** Ends the publish now: caches dropped, donePublish emitted. */
    _finishPublish(): void;
    broadcastMessage(packet: unknown): void;
  }
}

declare module 'node-media-server/src/session/base_session.js' {
  export default class BaseSession {
    id: string;
    ip: string;
    endTime: number;
  }
}

declare module 'node-media-server/src/protocol/flv.js' {
  export default class Flv {
    onPacketCallback: (packet: unknown) => void;
    /** Null, or the parse error. */
    parserData(buffer: Buffer): string | null;
  }
}

declare module 'node-media-server/src/core/context.js' {
  import type { EventEmitter } from 'node:events';
  import type BroadcastServer from 'node-media-server/src/server/broadcast_server.js';
  const Context: {
    eventEmitter: EventEmitter;
    broadcasts: Map<string, BroadcastServer>;
    sessions: Map<string, unknown>;
  };
  export default Context;
}

declare module 'node-media-server/src/core/logger.js' {
  const logger: { level: string; log(message: string, level?: string): void };
  export default logger;
}
