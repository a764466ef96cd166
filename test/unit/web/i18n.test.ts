/** Every key the console uses exists in both languages, and both files have the same keys. */
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { STATUS_CAUSES } from '@common/causes';
import { CAMERA_KINDS, CAMERA_STATUSES, ENROLLMENT_STATES, ROLES } from '@common/domain';
import en from '@web/i18n/en.json';
import zh from '@web/i18n/zh-CN.json';
import { SECTIONS } from '@web/layout/routes';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(f) ? [p] : [];
  });
}

const zhKeys = flatten(zh as Tree);
const enKeys = flatten(en as Tree);

describe('web/i18n: translation files', () => {
  it('zh-CN and en have the same keys and no empty strings', () => {
    expect([...enKeys.keys()].sort()).to.deep.equal([...zhKeys.keys()].sort());
    for (const [k, v] of [...zhKeys, ...enKeys]) expect(v.trim(), k).to.not.equal('');
  });

  it('has the vocabulary table terms', () => {
    expect(zhKeys.get('status.live')).to.equal('在线');
    expect(zhKeys.get('status.reconnecting')).to.equal('重连中');
    expect(zhKeys.get('kind.household')).to.equal('村居监控');
    expect(zhKeys.get('enrollment.pending')).to.equal('待审核');
    expect(enKeys.get('status.auth_failed')).to.equal('Auth failed');
    expect(enKeys.get('nav.live')).to.equal('Live view');
  });

  it('covers every domain value shown through a template key', () => {
    const dynamic = [
      ...CAMERA_KINDS.map((k) => `kind.${k}`),
      ...CAMERA_STATUSES.map((s) => `status.${s}`),
      ...ENROLLMENT_STATES.map((s) => `enrollment.${s}`),
      ...ROLES.map((r) => `role.${r}`),
      ...SECTIONS.map((s) => `nav.${s}`),
      ...['approve', 'reject', 'suspend'].map((a) => `enroll.${a}`),
      ...Object.keys(STATUS_CAUSES).map((c) => `cause.${c}`),
    ];
    for (const k of dynamic) expect(zhKeys.has(k), k).to.equal(true);
  });

  it('status causes are translated: zh-CN differs from the English phrase, en keeps it', () => {
    for (const [code, phrase] of Object.entries(STATUS_CAUSES)) {
      expect(enKeys.get(`cause.${code}`), code).to.equal(phrase);
      expect(zhKeys.get(`cause.${code}`), code).to.not.equal(phrase);
    }
  });

  it('every literal t() key in web/src exists', () => {
    const used = new Set<string>();
    for (const file of sources('web/src')) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/(?:titleKey|key)[:=]\s*'([a-z]+\.[\w.]+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/'(form\.v\.\w+)'/g)) used.add(m[1]!);
    }
    expect(used.size).to.be.greaterThan(50);
    const missing = [...used].filter((k) => !zhKeys.has(k));
    expect(missing).to.deep.equal([]);
  });
});
