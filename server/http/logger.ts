/** Structured logs (pino). Credentials, cookies and tokens are redacted wherever they appear. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { safeErrorSerializer } from '@server/db/errors';
import { WELL_FORMED_REQUEST_ID } from './origins';

export type { Logger };

export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'credentials',
  '*.credentials',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/** Removes user:password@ from URLs and token=... query values in free text. */
export function scrubSecrets(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s:]+:[^/@\s]*@/gi, '$1***:***@')
    .replace(/([?&](?:token|key|password|sig|signature)=)[^&\s"]+/gi, '$1***');
}

/** Error objects are logged whole ({ err }), with any URL credentials or tokens scrubbed from their text. */
/** Error objects in logs: secrets in URLs/tokens scrubbed from message and stack, and no SQL parameters or row detail. */
function serializeErr(err: unknown): unknown {
  if (!(err instanceof Error)) return safeErrorSerializer(err);
  const s = pino.stdSerializers.err(err);
  return safeErrorSerializer({ ...s, message: scrubSecrets(s.message), ...(s.stack ? { stack: scrubSecrets(s.stack) } : {}) });
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'skyeye' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: serializeErr },
    },
    destination,
  );
}

export function httpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && WELL_FORMED_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: scrubSecrets(req.url),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      err: serializeErr,
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' },
  });
}
