/**
 * Writes an export package: a zip (yazl, streamed to a local file, never a whole file in memory)
 * of the evidence files, each hashed while it streams, then the manifest that `finalize` builds
 * from those hashes, its signature and the public key. A file whose hash is not the one its
 * evidence record expects stops the package (the file is then deleted by the caller).
 */
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { hashingPassThrough } from '@workers/uploader/verify';

export interface PackageEntry {
  path: string;
  /** The evidence item this file belongs to (named in errors). */
  itemId: string;
  /** The sha256 its evidence record holds; null: none recorded. */
  expectSha256: string | null;
  open(): Promise<Readable>;
}

export interface WrittenFile {
  path: string;
  itemId: string;
  sha256: string;
  bytes: number;
}

export interface PackageTail {
  /** Extra small files after the evidence (manifest.json, manifest.sig, ...). */
  files: Array<{ path: string; body: Buffer }>;
}

export class PackageError extends Error {
  override name = 'PackageError';
}

/** Writes the zip to `file`; answers the zip's own sha256 and size. */
export async function writePackage(file: string, entries: PackageEntry[], finalize: (files: WrittenFile[]) => PackageTail): Promise<{ sha256: string; bytes: number }> {
  const zip = new ZipFile();
  zip.on('error', () => undefined); // errors reach us through the entries' promises
  const zipHash = hashingPassThrough();
  const written = pipeline(zip.outputStream as Readable, zipHash, createWriteStream(file, { mode: 0o600 }));
  let failed: Error | null = null;
  const done: Array<Promise<WrittenFile>> = entries.map(
    (e) =>
      new Promise<WrittenFile>((resolve, reject) => {
        zip.addReadStreamLazy(e.path, { compress: false, mtime: new Date(0) }, (cb) => {
          if (failed) return cb(failed, undefined as unknown as Readable);
          e.open().then(
            (source) => {
              const h = hashingPassThrough();
              source.once('error', (err: Error) => reject(new PackageError(`${e.path} (item ${e.itemId}): could not be read: ${err.message}`)));
              h.once('end', () => {
                const r = h.result();
                if (e.expectSha256 && r.sha256 !== e.expectSha256) reject(new PackageError(`${e.path} (item ${e.itemId}): sha256 ${r.sha256} is not the ${e.expectSha256} recorded when it was attached`));
                else resolve({ path: e.path, itemId: e.itemId, ...r });
              });
              cb(null, source.pipe(h));
            },
            (err: Error) => {
              reject(new PackageError(`${e.path} (item ${e.itemId}): could not be opened: ${err.message}`));
              cb(err, undefined as unknown as Readable);
            },
          );
        });
      }),
  );
  try {
    const files = await Promise.all(done);
    for (const f of finalize(files).files) zip.addBuffer(f.body, f.path, { mtime: new Date(0) });
    zip.end();
    await written;
  } catch (e) {
    failed = e as Error;
    (zip.outputStream as Readable).destroy(failed);
    await written.catch(() => undefined);
    throw e;
  }
  return zipHash.result();
}
