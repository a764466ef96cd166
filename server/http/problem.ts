/**
 * RFC 9457 problem details. Throw an HttpError anywhere below a route; the error middleware
 * renders it as application/problem+json with the request id and the offending fields, in the
 * language the request's Accept-Language prefers (English, or zh-CN from the catalogue in
 * messages/; `Content-Language` says which). Write titles, details and field messages in English;
 * a new text needs its zh-CN entry in messages/zh-CN.json (a unit test scans server/ for them).
 * `type`, `status`, `instance`, `requestId` and field names are the same in every language.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError, type core } from 'zod';
import { isRefusedCharacter } from '@server/db/errors';
import { pickLanguage, translate, translateTitle, type Language } from '@server/http/messages';
import { englishMessage, zodMessage } from '@server/http/messages/zod';

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
    /** The zod issues behind `errors` (validationError), so each renders in the request's language. */
    public readonly issues?: readonly core.$ZodIssue[],
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

const fieldOf = (i: core.$ZodIssue, prefix: string) =>
  prefix + (i.path.map(String).join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : '(body)'));

/** Field errors from zod issues, paths joined with dots (location.lat, items.3.kind), messages in `lang`. */
export function issueErrors(issues: readonly core.$ZodIssue[], lang: Language = 'en', prefix = ''): FieldError[] {
  return issues.map((i) => ({ field: fieldOf(i, prefix), message: lang === 'en' ? englishMessage(i) : zodMessage(i, lang) }));
}

/** Field errors from a zod error, in English. */
export const fieldErrors = (err: ZodError, prefix = ''): FieldError[] => issueErrors(err.issues, 'en', prefix);

export const validationError = (err: ZodError, where = 'body') =>
  new HttpError(400, 'Validation failed', `The request ${where} has invalid fields; see errors.`, fieldErrors(err), undefined, err.issues);

const isFieldErrors = (v: unknown): v is FieldError[] =>
  Array.isArray(v) && v.every((e) => typeof e === 'object' && e !== null && typeof (e as FieldError).message === 'string');

const localErrors = (errors: FieldError[], lang: Language) => errors.map((e) => ({ ...e, message: translate(e.message, lang) }));

/** The problem document for `e` in `lang` (pure: the error middleware and unit tests use it). */
export function renderProblem(e: HttpError, lang: Language, instance: string, requestId: string): Record<string, unknown> {
  const errors = e.issues ? issueErrors(e.issues, lang) : e.errors ? localErrors(e.errors, lang) : undefined;
  const extra = e.extra && isFieldErrors(e.extra.errors) ? { ...e.extra, errors: localErrors(e.extra.errors, lang) } : e.extra;
  return {
    type: `https://skyeye.local/problems/${e.status}`,
    title: translateTitle(e.title, lang),
    status: e.status,
    detail: e.detail === undefined ? undefined : translate(e.detail, lang),
    instance,
    requestId,
    ...(errors ? { errors } : {}),
    ...(extra ?? {}),
  };
}

export function sendProblem(res: Parameters<RequestHandler>[1], req: Parameters<RequestHandler>[0], e: HttpError): void {
  const lang = pickLanguage(req.get('Accept-Language'));
  res
    .status(e.status)
    .type('application/problem+json')
    .set('Content-Language', lang)
    .vary('Accept-Language')
    .json(renderProblem(e, lang, req.originalUrl.split('?')[0] ?? '', String(req.id ?? '')));
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
