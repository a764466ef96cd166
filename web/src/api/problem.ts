/**
 * RFC 9457 problem details -> a typed ApiError. Pure: takes the status, content type and body text,
 * so it is unit-tested without fetch.
 */
export interface FieldError {
  field: string;
  message: string;
  /** Import reports number the offending CSV/JSON row. */
  row?: number;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly requestId: string | undefined;
  readonly fieldErrors: FieldError[];
  readonly problem: Problem;
  /** Seconds from Retry-After (429, 503), when the server sent one. */
  readonly retryAfter: number | undefined;

  constructor(problem: Problem, retryAfter?: number) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.requestId = problem.requestId;
    this.fieldErrors = problem.errors ?? [];
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  /** The message for one field ('location.lat'), if the server named it. */
  fieldError(field: string): string | undefined {
    return this.fieldErrors.find((e) => e.field === field)?.message;
  }
}

/** Status 0: the request never got an HTTP answer (offline, DNS, CORS, aborted). */
export function networkError(cause: unknown): ApiError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new ApiError({ type: 'about:blank#network', title: 'Network error', status: 0, detail });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toFieldErrors(v: unknown): FieldError[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: FieldError[] = [];
  for (const e of v) {
    if (!isRecord(e)) continue;
    const field = typeof e.field === 'string' ? e.field : '';
    const message = typeof e.message === 'string' ? e.message : '';
    if (!field && !message) continue;
    out.push(typeof e.row === 'number' ? { row: e.row, field, message } : { field, message });
  }
  return out;
}

/** Retry-After as seconds: delta-seconds or an HTTP date (relative to `now`). */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Build an ApiError from a failed response. Works for problem+json, plain JSON errors and
 * non-JSON bodies (an HTML 502 from a proxy): the status and status text always survive.
 */
export function parseProblem(status: number, statusText: string, contentType: string | null, body: string, retryAfter?: number): ApiError {
  let parsed: unknown;
  if (body && /json/i.test(contentType ?? '')) {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  }
  const fallbackTitle = statusText || `HTTP ${status}`;
  if (!isRecord(parsed)) {
    return new ApiError({ type: 'about:blank', title: fallbackTitle, status }, retryAfter);
  }
  const problem: Problem = {
    ...parsed,
    type: typeof parsed.type === 'string' ? parsed.type : 'about:blank',
    title: typeof parsed.title === 'string' && parsed.title ? parsed.title : typeof parsed.error === 'string' ? parsed.error : fallbackTitle,
    status: typeof parsed.status === 'number' ? parsed.status : status,
  };
  if (typeof parsed.detail === 'string') problem.detail = parsed.detail;
  else delete problem.detail;
  if (typeof parsed.instance === 'string') problem.instance = parsed.instance;
  if (typeof parsed.requestId === 'string') problem.requestId = parsed.requestId;
  const errors = toFieldErrors(parsed.errors);
  if (errors) problem.errors = errors;
  else delete problem.errors;
  return new ApiError(problem, retryAfter);
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
