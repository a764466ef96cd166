/**
 * The one fetch wrapper: same-origin cookies, JSON in/out, CSRF header on writes, problem+json
 * errors as ApiError. A 401 on an authenticated call notifies the session (expired sign-in).
 * Every call sends the console's language as Accept-Language, so problems come back in it.
 */
import { CSRF_COOKIE, CSRF_HEADER, needsCsrf, readCookie } from './csrf';
import { ApiError, networkError, parseProblem, parseRetryAfter } from './problem';
import { buildQuery, type QueryValue } from './query';

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** JSON body (serialised here). */
  json?: unknown;
  /** Raw body with its content type (CSV import, an evidence package upload). */
  raw?: { body: string | Blob; contentType: string };
  signal?: AbortSignal;
  /** Do not report a 401 to the session listener (sign-in, session restore). */
  quiet401?: boolean;
}

let csrfFallback: string | undefined;
/** zh-CN until i18n reports the user's choice (web/src/i18n/index.ts). */
let language = 'zh-CN';
let unauthorizedListener: (() => void) | undefined;

/** Keep the token from the sign-in answer in case the cookie is not readable (e.g. a proxy path). */
export function setCsrfToken(token: string | undefined): void {
  csrfFallback = token;
}

/** The language the server writes problems in (Accept-Language on every call). */
export function setRequestLanguage(lang: string): void {
  language = lang;
}

/** The headers every call sends. */
export function baseHeaders(): Record<string, string> {
  return { Accept: 'application/json, application/problem+json', 'Accept-Language': language };
}

export function onUnauthorized(listener: (() => void) | undefined): void {
  unauthorizedListener = listener;
}

export function csrfToken(): string | undefined {
  const fromCookie = typeof document === 'undefined' ? undefined : readCookie(document.cookie, CSRF_COOKIE);
  return fromCookie ?? csrfFallback;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers = baseHeaders();
  let body: string | Blob | undefined;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.raw) {
    headers['Content-Type'] = opts.raw.contentType;
    body = opts.raw.body;
  }
  if (needsCsrf(method)) {
    const token = csrfToken();
    if (token) headers[CSRF_HEADER] = token;
  }
  const url = path + (opts.query ? buildQuery(opts.query) : '');

  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw networkError(e);
  }

  if (!res.ok) {
    const text = await res.text().catch(() => '');
    const err = parseProblem(res.status, res.statusText, res.headers.get('Content-Type'), text, parseRetryAfter(res.headers.get('Retry-After')));
    if (err.status === 401 && !opts.quiet401) unauthorizedListener?.();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError({ type: 'about:blank#bad-json', title: 'Bad response', status: res.status, detail: 'The server answered with something that is not JSON.' });
  }
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
  post: <T>(path: string, json?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, json }),
  patch: <T>(path: string, json: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, json }),
  put: <T>(path: string, json: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, json }),
  del: <T = void>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
};
