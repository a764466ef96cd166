import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { readNewLines } from '@workers/recorder/segment-list';

describe('segment list tail (readNewLines)', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'skyeye-seglist-'));
    file = path.join(dir, 'run.csv');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('returns only the complete lines appended since the offset, and where to go on from', async () => {
    expect(await readNewLines(file, 0)).to.deep.equal({ lines: [], offset: 0 }); // not written yet
    await writeFile(file, 'a.mp4,0.000,6.000\nb.mp4,6.0');
    const first = await readNewLines(file, 0);
    expect(first).to.deep.equal({ lines: ['a.mp4,0.000,6.000'], offset: 18 });
    expect(await readNewLines(file, first.offset)).to.deep.equal({ lines: [], offset: 18 }); // half a line: wait for the rest
    await appendFile(file, '00,12.000\n"c,d.mp4",12.000,18.000\n');
    expect(await readNewLines(file, first.offset)).to.deep.equal({ lines: ['b.mp4,6.000,12.000', '"c,d.mp4",12.000,18.000'], offset: 61 });
  });

  it('reads a file shorter than the offset (replaced) from its start', async () => {
    await writeFile(file, 'z.mp4,0.000,6.000\n');
    expect(await readNewLines(file, 500)).to.deep.equal({ lines: ['z.mp4,0.000,6.000'], offset: 18 });
  });
});
