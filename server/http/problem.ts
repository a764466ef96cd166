/**
 * RFC 9457 problem details. Throw an HttpError anywhere below a route; the error middleware
 * renders it as application/problem+json with the request id and the offending fields.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { isRefusedCharacter } from '@server/db/errors';

export interface FieldError {
  field: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly title: string,
    public readonly detail?: string,
    public readonly errors?: FieldError[],
    public readonly extra?: Record<string, unknown>,
  ) {
    super(detail ?? title);
    this.name = 'HttpError';
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new HttpError(400, 'Bad request', detail, errors);
export const unauthorized = (detail = 'Sign in first.') => new HttpError(401, 'Unauthorized', detail);
export const forbidden = (detail = 'Your role may not do this.') => new HttpError(403, 'Forbidden', detail);
export const notFound = (what: string) => new HttpError(404, 'Not found', `${what} does not exist or you may not see it.`);
export const conflict = (detail: string, extra?: Record<string, unknown>) => new HttpError(409, 'Conflict', detail, undefined, extra);
export const unprocessable = (detail: string, errors?: FieldError[], extra?: Record<string, unknown>) =>
  new HttpError(422, 'Unprocessable content', detail, errors, extra);

/** Field errors from a zod error, paths joined with dots (location.lat, items.3.kind). */
export function fieldErrors(err: ZodError, prefix = ''): FieldError[] {
  return err.issues.map((i) => ({
    field: prefix + (i.path.map(String).join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : '(body)')),
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
}

export const validationError = (err: ZodError, where = 'body') =>
  new HttpError(400, 'Validation failed', `The request ${where} has invalid fields; see errors.`, fieldErrors(err));

export function sendProblem(res: Parameters<RequestHandler>[1], req: Parameters<RequestHandler>[0], e: HttpError): void {
  res
    .status(e.status)
    .type('application/problem+json')
    .json({
      type: `https://skyeye.local/problems/${e.status}`,
      title: e.title,
      status: e.status,
      detail: e.detail,
      instance: req.originalUrl.split('?')[0],
      requestId: String(req.id ?? ''),
      ...(e.errors ? { errors: e.errors } : {}),
      ...(e.extra ?? {}),
    });
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, req, new HttpError(404, 'Not found', `No route for ${req.method} ${req.originalUrl.split("?")[0]}.`));
};

export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  if (err instanceof HttpError) return sendProblem(res, req, err);
  if (err instanceof ZodError) return sendProblem(res, req, validationError(err));
  const e = err as { type?: string; status?: number; message?: string };
  // body-parser errors: malformed JSON, too large, wrong charset.
  if (e?.type === 'entity.parse.failed') return sendProblem(res, req, badRequest('The body is not valid JSON.', [{ field: '(body)', message: e.message ?? 'parse error' }]));
  if (e?.type === 'entity.too.large') return sendProblem(res, req, new HttpError(413, 'Payload too large', 'The body is larger than allowed.'));
  // A character the database refuses (NUL) that a route's validation did not catch first.
  if (isRefusedCharacter(err)) return sendProblem(res, req, badRequest('The request contains characters that are not allowed (NUL or invalid text).', [{ field: '(body)', message: 'control characters are not allowed' }]));
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return sendProblem(res, req, new HttpError(e.status, 'Bad request', e.message));
  }
  req.log?.error({ err }, 'unhandled error');
  sendProblem(res, req, new HttpError(500, 'Internal error', 'Something failed on the server; the request id identifies it in the logs.'));
};
