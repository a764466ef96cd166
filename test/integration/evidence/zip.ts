/** Test-only zip surgery: rewrite a package with one entry changed (small test packages, read into memory). */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import yauzl, { type Entry } from 'yauzl';
import { ZipFile } from 'yazl';

export async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  const out = new Map<string, Buffer>();
  const entries: Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.once('end', resolve);
    zip.once('error', reject);
    zip.readEntry();
  });
  for (const e of entries) {
    const parts: Buffer[] = [];
    for await (const c of (await zip.openReadStreamPromise(e)) as Readable) parts.push(c as Buffer);
    out.set(e.fileName, Buffer.concat(parts));
  }
  zip.close();
  return out;
}

/** Writes `files` (in order) as a new zip. */
export async function writeZip(file: string, files: Map<string, Buffer>): Promise<void> {
  const zip = new ZipFile();
  for (const [name, body] of files) zip.addBuffer(body, name, { compress: false });
  zip.end();
  await pipeline(zip.outputStream as Readable, createWriteStream(file));
}
