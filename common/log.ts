/**
 * The one logging interface everything below the composition root takes: the structured subset
 * of pino (server/http/logger.ts builds the real one; modules get `logger.child({ module })`).
 * Log error objects as `{ err }`, never `err.message` (the serializer scrubs credentials).
 */
export interface Log {
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error?(obj: object, msg?: string): void;
}

export const silentLog: Log = { info() {}, warn() {} };
