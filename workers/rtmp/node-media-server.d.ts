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

declare module 'node-media-server/src/core/context.js' {
  import type { EventEmitter } from 'node:events';
  const Context: {
    eventEmitter: EventEmitter;
    broadcasts: Map<string, { publisher: unknown; subscribers: Map<string, unknown>; getPublishStatus(): 'publishing' | 'reconnecting' | 'idle' }>;
    sessions: Map<string, unknown>;
  };
  export default Context;
}

declare module 'node-media-server/src/core/logger.js' {
  const logger: { level: string; log(message: string, level?: string): void };
  export default logger;
}
