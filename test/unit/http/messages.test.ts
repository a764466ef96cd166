/** Problems in the request's language: the zh-CN catalogue is complete, Accept-Language, rendering. */
import { expect } from 'chai';
import { z } from 'zod';
import type { Request, Response } from 'express';
import { badRequest, conflict, HttpError, notFound, renderProblem, sendProblem, unauthorized, validationError } from '@server/http/problem';
import { pickLanguage, translate, translateTitle } from '@server/http/messages';
import { TEXTS, TITLES } from '@server/http/messages/zh-CN';
import { scanServer } from './detail-scan';

const placeholders = (s: string) => [...s.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort().join(',');

describe('http/messages: the zh-CN catalogue', () => {
  const found = scanServer(process.cwd());

  it('finds the texts thrown in server/ (the scan itself works)', () => {
    expect(found.length).to.be.greaterThan(150);
    expect(found).to.deep.include({ kind: 'noun', text: 'Camera', at: found.find((f) => f.text === 'Camera')!.at });
    expect(found.map((f) => f.text)).to.include('The camera changed since you read it (your version {0}, now {1}); reload and retry.');
    expect(found.map((f) => f.text)).to.include('must be a {0} URL ({1})');
  });

  it('has a zh-CN entry for every title, detail, notFound noun and field message written in server/', () => {
    const missing = found.filter((f) => (f.kind === 'title' ? TITLES[f.text] : TEXTS[f.text]) === undefined).map((f) => `${f.at} ${f.kind}: ${f.text}`);
    expect(missing, `add these to server/http/messages/zh-CN.json:\n${missing.join('\n')}`).to.deep.equal([]);
  });

  it('keeps every placeholder of a key in its translation, and writes Chinese', () => {
    for (const [en, zh] of Object.entries(TEXTS)) {
      expect(placeholders(zh), en).to.equal(placeholders(en));
      expect(zh, en).to.match(/[\u4e00-\u9fff]|^\{0\}：\{1\}$/);
    }
    for (const zh of Object.values(TITLES)) expect(zh).to.match(/[\u4e00-\u9fff]/);
  });

  it('translates exact texts, parameterised texts and the values filled into them', () => {
    expect(translate('The current password is wrong.', 'zh-CN')).to.equal('当前密码错误。');
    expect(translate('At most 10000 rows per import; got 10001.', 'zh-CN')).to.equal('每次导入最多 10000 行；实际收到 10001 行。');
    expect(translate('Wall does not exist or you may not see it.', 'zh-CN')).to.equal('监控墙不存在，或您无权查看。');
    expect(translate('The clip is not ready (running).', 'zh-CN')).to.equal('该片段尚未就绪（进行中）。');
    expect(translate('Merchants may not export the registry.', 'zh-CN')).to.equal('商户不能导出摄像头台账。');
    expect(translate('something nobody wrote', 'zh-CN')).to.equal('something nobody wrote');
    expect(translate('The current password is wrong.', 'en')).to.equal('The current password is wrong.');
    expect(translateTitle('Too many attempts', 'zh-CN')).to.equal('尝试次数过多');
  });
});

describe('http/messages: Accept-Language', () => {
  const table: Array<[string | undefined, string]> = [
    [undefined, 'en'],
    ['', 'en'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['ZH-cn', 'zh-CN'],
    ['fr-FR, de;q=0.8', 'en'],
    ['fr, zh;q=0.5', 'zh-CN'],
    ['en;q=0.4, zh-CN;q=0.8', 'zh-CN'],
    ['zh-CN;q=0.3, en;q=0.7', 'en'],
    ['zh-CN;q=0, en;q=0.1', 'en'],
    ['zh-CN;q=0', 'en'],
    ['*', 'en'],
    ['zh-CN, en', 'zh-CN'],
  ];
  for (const [header, lang] of table) it(`${JSON.stringify(header)} -> ${lang}`, () => expect(pickLanguage(header)).to.equal(lang));
});

describe('http/problem: rendering in the request language', () => {
  const Body = z.object({ name: z.string().min(1), lat: z.number().max(90), kind: z.enum(['road', 'shop']), to: z.string().refine(() => false, { message: 'must be after from' }) }).strict();
  const parsed = Body.safeParse({ name: 5, lat: 100, kind: 'x', to: 'a', extra: 1 });
  if (parsed.success) throw new Error('expected a failure');
  const invalid = validationError(parsed.error);

  it('renders English exactly as before when asked for en', () => {
    const p = renderProblem(invalid, 'en', '/api/v1/cameras', 'r1');
    expect(p).to.include({ type: 'https://skyeye.local/problems/400', title: 'Validation failed', status: 400, detail: 'The request body has invalid fields; see errors.', instance: '/api/v1/cameras', requestId: 'r1' });
    expect(p.errors).to.deep.equal([
      { field: 'name', message: 'Invalid input: expected string, received number' },
      { field: 'lat', message: 'Too big: expected number to be <=90' },
      { field: 'kind', message: 'Invalid option: expected one of "road"|"shop"' },
      { field: 'to', message: 'must be after from' },
      { field: 'extra', message: 'unknown field(s): extra' },
    ]);
  });

  it('renders zh-CN titles, details and zod field messages (zod zh-CN locale), field names unchanged', () => {
    const p = renderProblem(invalid, 'zh-CN', '/api/v1/cameras', 'r1');
    expect(p).to.include({ type: 'https://skyeye.local/problems/400', title: '校验失败', status: 400, detail: '请求体中有无效字段；详见 errors。', instance: '/api/v1/cameras', requestId: 'r1' });
    expect(p.errors).to.deep.equal([
      { field: 'name', message: '无效输入：期望 string，实际接收 数字' },
      { field: 'lat', message: '数值过大：期望 number <=90' },
      { field: 'kind', message: '无效选项：期望以下之一 "road"|"shop"' },
      { field: 'to', message: '必须晚于 from' },
      { field: 'extra', message: '未知字段：extra' },
    ]);
  });

  it('translates hand-written field errors, notFound nouns, default details and extra errors', () => {
    const bad = renderProblem(badRequest('No such station.', [{ field: 'stationId', message: 'unknown station' }]), 'zh-CN', '/', '');
    expect(bad).to.deep.include({ title: '请求有误', detail: '没有这个派出所。', errors: [{ field: 'stationId', message: '未知的派出所' }] });
    expect(renderProblem(notFound('Camera'), 'zh-CN', '/', '')).to.include({ title: '未找到', detail: '摄像头不存在，或您无权查看。' });
    expect(renderProblem(unauthorized(), 'zh-CN', '/', '')).to.include({ detail: '请先登录。' });
    const taken = renderProblem(conflict('A user named "li" already exists.', { errors: [{ field: 'username', message: 'already taken' }] }), 'zh-CN', '/', '');
    expect(taken).to.deep.include({ title: '冲突', detail: '用户名“li”已存在。', errors: [{ field: 'username', message: '已被占用' }] });
    expect(renderProblem(new HttpError(413, 'Payload too large', 'At most 5 rows per import; got 6.'), 'zh-CN', '/', '')).to.include({ title: '请求体过大' });
  });

  it('sends Content-Language and Vary with the chosen language', () => {
    for (const [header, lang, title] of [['zh-CN,zh;q=0.9', 'zh-CN', '冲突'], [undefined, 'en', 'Conflict']] as const) {
      const sent: { headers: Record<string, string>; vary?: string; status?: number; body?: Record<string, unknown> } = { headers: {} };
      const res = {
        status: (s: number) => ((sent.status = s), res),
        type: (t: string) => ((sent.headers['content-type'] = t), res),
        set: (k: string, v: string) => ((sent.headers[k.toLowerCase()] = v), res),
        vary: (v: string) => ((sent.vary = v), res),
        json: (b: Record<string, unknown>) => ((sent.body = b), res),
      };
      const req = { get: (h: string) => (h.toLowerCase() === 'accept-language' ? header : undefined), originalUrl: '/api/v1/cameras/x?y=1', id: 'req-1' };
      sendProblem(res as unknown as Response, req as unknown as Request, conflict('The camera changed meanwhile; retry.'));
      expect(sent.status).to.equal(409);
      expect(sent.headers['content-language']).to.equal(lang);
      expect(sent.vary).to.equal('Accept-Language');
      expect(sent.body).to.include({ title, instance: '/api/v1/cameras/x', requestId: 'req-1' });
    }
  });
});
