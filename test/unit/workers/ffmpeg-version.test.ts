import { expect } from 'chai';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureExecutable, FfmpegNotFoundError, findOnPath, resolveBinary, resolveFfmpegPath, resolveFfprobePath, type BinaryName, type ResolveDeps } from '@workers/ffmpeg/version';

/** Fake machine: which names are on PATH, which are packaged; records chmod requests. */
function fakeDeps(onPath: Partial<Record<BinaryName, string>>, packaged: Partial<Record<BinaryName, string>>, chmodded: string[] = []): ResolveDeps {
  return {
    findOnPath: (name, pathVar) => (pathVar ? onPath[name] : undefined),
    packaged: (name) => packaged[name],
    ensureExecutable: (file) => void chmodded.push(file),
  };
}

describe('workers/ffmpeg version: binary resolution', () => {
  const table: Array<{ name: string; bin: BinaryName; env: NodeJS.ProcessEnv; onPath: Partial<Record<BinaryName, string>>; packaged: Partial<Record<BinaryName, string>>; want: string; source: string }> = [
    { name: 'FFMPEG_PATH wins over PATH and package', bin: 'ffmpeg', env: { FFMPEG_PATH: '/opt/ff', PATH: '/usr/bin' }, onPath: { ffmpeg: '/usr/bin/ffmpeg' }, packaged: { ffmpeg: '/nm/ffmpeg' }, want: '/opt/ff', source: 'env' },
    { name: 'system ffmpeg on PATH wins over package', bin: 'ffmpeg', env: { PATH: '/usr/bin' }, onPath: { ffmpeg: '/usr/bin/ffmpeg' }, packaged: { ffmpeg: '/nm/ffmpeg' }, want: '/usr/bin/ffmpeg', source: 'system' },
    { name: 'packaged when nothing on PATH', bin: 'ffmpeg', env: { PATH: '/usr/bin' }, onPath: {}, packaged: { ffmpeg: '/nm/ffmpeg' }, want: '/nm/ffmpeg', source: 'packaged' },
    { name: 'packaged when PATH is unset', bin: 'ffmpeg', env: {}, onPath: { ffmpeg: '/usr/bin/ffmpeg' }, packaged: { ffmpeg: '/nm/ffmpeg' }, want: '/nm/ffmpeg', source: 'packaged' },
    { name: 'empty FFMPEG_PATH is ignored', bin: 'ffmpeg', env: { FFMPEG_PATH: '', PATH: '/usr/bin' }, onPath: { ffmpeg: '/usr/bin/ffmpeg' }, packaged: {}, want: '/usr/bin/ffmpeg', source: 'system' },
    { name: 'FFPROBE_PATH for ffprobe (FFMPEG_PATH does not count)', bin: 'ffprobe', env: { FFMPEG_PATH: '/opt/ff', FFPROBE_PATH: '/opt/fp', PATH: '/usr/bin' }, onPath: { ffprobe: '/usr/bin/ffprobe' }, packaged: {}, want: '/opt/fp', source: 'env' },
    { name: 'system ffprobe', bin: 'ffprobe', env: { FFMPEG_PATH: '/opt/ff', PATH: '/usr/bin' }, onPath: { ffprobe: '/usr/bin/ffprobe' }, packaged: { ffprobe: '/nm/ffprobe' }, want: '/usr/bin/ffprobe', source: 'system' },
    { name: 'packaged ffprobe', bin: 'ffprobe', env: { PATH: '/usr/bin' }, onPath: { ffmpeg: '/usr/bin/ffmpeg' }, packaged: { ffprobe: '/nm/ffprobe' }, want: '/nm/ffprobe', source: 'packaged' },
  ];
  for (const t of table) {
    it(t.name, () => {
      const chmodded: string[] = [];
      const r = resolveBinary(t.bin, t.env, fakeDeps(t.onPath, t.packaged, chmodded));
      expect(r).to.deep.equal({ path: t.want, source: t.source });
      expect(chmodded).to.deep.equal(t.source === 'packaged' ? [t.want] : []);
    });
  }

  it('nothing anywhere: an error that says what to do', () => {
    for (const bin of ['ffmpeg', 'ffprobe'] as const) {
      expect(() => resolveBinary(bin, { PATH: '/usr/bin' }, fakeDeps({}, {})))
        .to.throw(FfmpegNotFoundError)
        .with.property('message')
        .that.includes('apt-get install ffmpeg')
        .and.includes(bin === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH');
    }
  });

  it('a packaged binary that cannot be made executable is reported, not returned', () => {
    const deps: ResolveDeps = { ...fakeDeps({}, { ffmpeg: '/nm/ffmpeg' }), ensureExecutable: () => { throw new Error('not executable: chmod u+x /nm/ffmpeg'); } };
    expect(() => resolveBinary('ffmpeg', {}, deps)).to.throw(/chmod u\+x/);
  });

  it('resolveFfmpegPath / resolveFfprobePath keep their call shape (env, then injected lookups)', () => {
    expect(resolveFfmpegPath({ FFMPEG_PATH: '/opt/ff' })).to.equal('/opt/ff');
    expect(resolveFfmpegPath({}, { findOnPath: () => undefined, packaged: () => '/pkg/ffmpeg', ensureExecutable: () => {} })).to.equal('/pkg/ffmpeg');
    expect(resolveFfprobePath({ PATH: '/x' }, { findOnPath: (n) => `/x/${n}` })).to.equal('/x/ffprobe');
  });

  describe('findOnPath (no shell)', () => {
    const table: Array<{ name: string; pathVar: string | undefined; executables: string[]; want: string | undefined }> = [
      { name: 'first directory that has it', pathVar: '/a:/b:/c', executables: ['/b/ffmpeg', '/c/ffmpeg'], want: '/b/ffmpeg' },
      { name: 'none', pathVar: '/a:/b', executables: [], want: undefined },
      { name: 'unset PATH', pathVar: undefined, executables: ['/a/ffmpeg'], want: undefined },
      { name: 'empty and relative entries are skipped', pathVar: ':.:bin:/z', executables: ['ffmpeg', './ffmpeg', 'bin/ffmpeg', '/z/ffmpeg'], want: '/z/ffmpeg' },
    ];
    for (const t of table) {
      it(t.name, () => {
        expect(findOnPath('ffmpeg', t.pathVar, (f) => t.executables.includes(f))).to.equal(t.want);
      });
    }
  });

  describe('with real files', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'skyeye-ffbin-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('findOnPath needs the executable bit', () => {
      const f = path.join(dir, 'ffmpeg');
      writeFileSync(f, '#!/bin/sh\n');
      chmodSync(f, 0o644);
      // root passes X_OK only when some x bit is set, so 0644 is "not executable" for everyone.
      expect(findOnPath('ffmpeg', dir)).to.equal(undefined);
      chmodSync(f, 0o755);
      expect(findOnPath('ffmpeg', `/nonexistent:${dir}`)).to.equal(f);
    });

    it('ensureExecutable adds u+x when npm skipped the postinstall chmod', () => {
      const f = path.join(dir, 'ffprobe');
      writeFileSync(f, '#!/bin/sh\n');
      chmodSync(f, 0o644);
      ensureExecutable(f);
      expect(statSync(f).mode & 0o777).to.equal(0o744);
    });

    it('ensureExecutable on a missing file explains what to do', () => {
      expect(() => ensureExecutable(path.join(dir, 'missing'))).to.throw(/chmod failed.*apt-get install ffmpeg/);
    });
  });
});
