import { expect } from 'chai';
import { exportCsvUrl, listParams } from '@web/api/cameras';
import { baseHeaders, request, setRequestLanguage } from '@web/api/client';
import { needsCsrf, readCookie } from '@web/api/csrf';
import { ApiError, isApiError, networkError, parseProblem, parseRetryAfter } from '@web/api/problem';
import { buildQuery } from '@web/api/query';

describe('web/api: problem+json parsing', () => {
  it('reads a full problem with field errors', () => {
    const body = JSON.stringify({
      type: 'https://skyeye.local/problems/400',
      title: 'Validation failed',
      status: 400,
      detail: 'The request body has invalid fields; see errors.',
      instance: '/api/v1/cameras',
      requestId: 'req-7',
      errors: [{ field: 'location.lat', message: 'Too big' }],
    });
    const e = parseProblem(400, 'Bad Request', 'application/problem+json; charset=utf-8', body);
    expect(e).to.be.instanceOf(ApiError).and.instanceOf(Error);
    expect(isApiError(e)).to.equal(true);
    expect(e.status).to.equal(400);
    expect(e.title).to.equal('Validation failed');
    expect(e.detail).to.equal('The request body has invalid fields; see errors.');
    expect(e.requestId).to.equal('req-7');
    expect(e.problem.instance).to.equal('/api/v1/cameras');
    expect(e.fieldErrors).to.deep.equal([{ field: 'location.lat', message: 'Too big' }]);
    expect(e.fieldError('location.lat')).to.equal('Too big');
    expect(e.message).to.equal('The request body has invalid fields; see errors.');
  });

  it('keeps row numbers of import errors and extra members', () => {
    const body = JSON.stringify({ title: 'Unprocessable content', status: 422, errors: [{ row: 3, field: 'kind', message: 'bad kind' }], currentVersion: 4 });
    const e = parseProblem(422, '', 'application/problem+json', body);
    expect(e.fieldErrors).to.deep.equal([{ row: 3, field: 'kind', message: 'bad kind' }]);
    expect(e.problem.currentVersion).to.equal(4);
  });

  it('drops malformed field errors', () => {
    const body = JSON.stringify({ title: 'x', status: 400, errors: [null, 'str', { field: 5 }, { field: 'name', message: 'Required' }] });
    expect(parseProblem(400, '', 'application/problem+json', body).fieldErrors).to.deep.equal([{ field: 'name', message: 'Required' }]);
  });

  it('falls back to the status text for non-JSON and broken bodies', () => {
    const html = parseProblem(502, 'Bad Gateway', 'text/html', '<html>nginx</html>');
    expect(html.status).to.equal(502);
    expect(html.title).to.equal('Bad Gateway');
    expect(html.detail).to.equal(undefined);
    expect(html.fieldErrors).to.deep.equal([]);
    const broken = parseProblem(500, '', 'application/json', '{"title":');
    expect(broken.title).to.equal('HTTP 500');
  });

  it('uses the response status when the body omits it and keeps Retry-After', () => {
    const e = parseProblem(429, 'Too Many Requests', 'application/problem+json', '{"title":"Too many requests"}', 30);
    expect(e.status).to.equal(429);
    expect(e.retryAfter).to.equal(30);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120')).to.equal(120);
    expect(parseRetryAfter(null)).to.equal(undefined);
    expect(parseRetryAfter('soon')).to.equal(undefined);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).to.equal(10);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).to.equal(0);
  });

  it('networkError has status 0', () => {
    const e = networkError(new TypeError('Failed to fetch'));
    expect(e.status).to.equal(0);
    expect(e.detail).to.equal('Failed to fetch');
  });
});

describe('web/api: CSRF cookie', () => {
  it('reads one cookie among several, decoded', () => {
    expect(readCookie('a=1; skyeye_csrf=abc%2Fdef; b=2', 'skyeye_csrf')).to.equal('abc/def');
    expect(readCookie('skyeye_csrf=tok', 'skyeye_csrf')).to.equal('tok');
    expect(readCookie('skyeye_csrf="quoted"', 'skyeye_csrf')).to.equal('quoted');
  });

  it('does not match a cookie whose name only ends with the wanted one', () => {
    expect(readCookie('x_skyeye_csrf=no; other=1', 'skyeye_csrf')).to.equal(undefined);
    expect(readCookie('', 'skyeye_csrf')).to.equal(undefined);
  });

  it('keeps values with "=" and undecodable values', () => {
    expect(readCookie('skyeye_csrf=a=b==', 'skyeye_csrf')).to.equal('a=b==');
    expect(readCookie('skyeye_csrf=%E0%A4%A', 'skyeye_csrf')).to.equal('%E0%A4%A');
  });

  it('asks for the header on writes only', () => {
    for (const m of ['POST', 'put', 'PATCH', 'DELETE']) expect(needsCsrf(m), m).to.equal(true);
    for (const m of ['GET', 'head', 'OPTIONS']) expect(needsCsrf(m), m).to.equal(false);
  });
});

describe('web/api: query strings', () => {
  it('drops empty, null and undefined values and trims strings', () => {
    expect(buildQuery({ a: 'x', b: '', c: undefined, d: null, e: '  ', f: 0, g: false })).to.equal('?a=x&f=0&g=false');
    expect(buildQuery({})).to.equal('');
  });

  it('encodes values and repeats arrays', () => {
    expect(buildQuery({ q: '新安 路口&1', tag: ['a', 'b'] })).to.equal('?q=%E6%96%B0%E5%AE%89+%E8%B7%AF%E5%8F%A3%261&tag=a&tag=b');
  });

  it('builds camera list parameters from filters', () => {
    const qs = buildQuery(listParams({ q: 'gate', kind: 'road', status: '', enrollment: 'pending', zoneId: 'z1' }, 'c2'));
    expect(qs).to.equal('?limit=50&cursor=c2&q=gate&kind=road&enrollment=pending&zoneId=z1');
  });

  it('builds the export link without paging', () => {
    expect(exportCsvUrl({})).to.equal('/api/v1/cameras/export.csv');
    expect(exportCsvUrl({ kind: 'shopfront' })).to.equal('/api/v1/cameras/export.csv?kind=shopfront');
  });
});

describe('web/api: Accept-Language', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
    setRequestLanguage('zh-CN');
  });

  it('sends the console language on every call (zh-CN by default, en once chosen)', async () => {
    const seen: string[] = [];
    globalThis.fetch = (async (_url: unknown, init?: RequestInit) => {
      seen.push(String((init?.headers as Record<string, string>)['Accept-Language']));
      return new Response('{"title":"校验失败","status":400}', { status: 400, headers: { 'Content-Type': 'application/problem+json' } });
    }) as typeof fetch;
    expect(baseHeaders()['Accept-Language']).to.equal('zh-CN');
    const err = await request('POST', '/api/v1/cameras', { json: {} }).catch((e: unknown) => e);
    expect(isApiError(err) && err.title).to.equal('校验失败');
    setRequestLanguage('en');
    await request('GET', '/api/v1/cameras').catch(() => undefined);
    expect(seen).to.deep.equal(['zh-CN', 'en']);
  });
});
