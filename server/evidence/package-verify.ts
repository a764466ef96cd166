/**
 * Verifies an export package (a zip file on disk, read with yauzl entry by entry, each file hashed
 * as it streams): the Ed25519 signature over manifest.json, every listed file's SHA-256 and size,
 * each item's own hash (a clip's sha256, a range's digest over its segments), that nothing listed
 * is missing and nothing unlisted was added. Each problem names the file and the item.
 */
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { MANIFEST_FILE, PUBLIC_KEY_FILE, SIGNATURE_FILE, type Manifest } from './manifest';
import { rangeDigest } from './ranges';
import { publicKeyId, verifySignature } from './signing-key';
import { createPublicKey } from 'node:crypto';
import { hashStream } from '@workers/uploader/verify';

export interface PackageProblem {
  item: string | null;
  file: string | null;
  problem: string;
}

export interface PackageReport {
  ok: boolean;
  exportId: string | null;
  incident: { id: string; number: string } | null;
  signature: 'valid' | 'invalid' | 'missing';
  /** given: the key passed in (the deployment's); package: only the copy inside the package (proves integrity, not origin). */
  keySource: 'given' | 'package' | 'none';
  keyId: string | null;
  items: number;
  files: number;
  problems: PackageProblem[];
}

const SMALL_LIMIT = 64 * 1024 * 1024;
const KNOWN = new Set([MANIFEST_FILE, SIGNATURE_FILE, PUBLIC_KEY_FILE, 'README.txt']);

async function entriesOf(zip: ZipFile): Promise<Map<string, Entry[]>> {
  const out = new Map<string, Entry[]>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: Entry) => {
      out.set(e.fileName, [...(out.get(e.fileName) ?? []), e]);
      zip.readEntry();
    });
    zip.once('end', () => resolve());
    zip.once('error', reject);
    zip.readEntry();
  });
  return out;
}

const open = (zip: ZipFile, e: Entry) => zip.openReadStreamPromise(e) as Promise<Readable>;

const hashEntry = async (zip: ZipFile, e: Entry) => hashStream(await open(zip, e));

async function readSmall(zip: ZipFile, e: Entry): Promise<Buffer> {
  if (e.uncompressedSize > SMALL_LIMIT) throw new Error(`${e.fileName} is larger than ${SMALL_LIMIT} bytes`);
  const parts: Buffer[] = [];
  for await (const chunk of await open(zip, e)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** `publicKey`: the deployment's key (PEM or base64 SPKI); null: fall back to the package's copy. */
export async function verifyPackage(file: string, publicKey: string | null): Promise<PackageReport> {
  const report: PackageReport = { ok: false, exportId: null, incident: null, signature: 'missing', keySource: publicKey ? 'given' : 'none', keyId: null, items: 0, files: 0, problems: [] };
  const problem = (p: string, item: string | null = null, f: string | null = null) => report.problems.push({ item, file: f, problem: p });
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, strictFileNames: true });
  } catch (e) {
    problem(`not a readable zip file: ${(e as Error).message}`);
    return report;
  }
  try {
    const entries = await entriesOf(zip);
    for (const [name, list] of entries) if (list.length > 1) problem(`${name} appears ${list.length} times in the zip`, null, name);
    const one = (name: string) => entries.get(name)?.[0];
    const manifestEntry = one(MANIFEST_FILE);
    if (!manifestEntry) {
      problem(`${MANIFEST_FILE} is missing`, null, MANIFEST_FILE);
      return report;
    }
    const manifestBytes = await readSmall(zip, manifestEntry);
    let key = publicKey;
    if (!key && one(PUBLIC_KEY_FILE)) {
      key = (await readSmall(zip, one(PUBLIC_KEY_FILE)!)).toString('utf8');
      report.keySource = 'package';
    }
    const sigEntry = one(SIGNATURE_FILE);
    if (!sigEntry) problem(`${SIGNATURE_FILE} is missing: the manifest is not signed`, null, SIGNATURE_FILE);
    else if (!key) problem('no public key to check the signature with (pass --public-key)', null, SIGNATURE_FILE);
    else {
      const sig = (await readSmall(zip, sigEntry)).toString('utf8').trim();
      report.keyId = publicKeyId(createPublicKey(key.trim().startsWith('-----BEGIN') ? key : { key: Buffer.from(key, 'base64'), format: 'der', type: 'spki' }));
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(sig) || Buffer.from(sig, 'base64').length !== 64) {
        report.signature = 'invalid';
        problem(`${SIGNATURE_FILE} is not an Ed25519 signature (64 bytes, base64)`, null, SIGNATURE_FILE);
      } else if (verifySignature(key, manifestBytes, sig)) report.signature = 'valid';
      else {
        report.signature = 'invalid';
        problem(`${SIGNATURE_FILE}: the signature does not match ${MANIFEST_FILE}: the manifest or its signature was changed, or another key signed it`, null, SIGNATURE_FILE);
      }
    }
    let manifest: Manifest;
    try {
      manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
      if (!Array.isArray(manifest.items)) throw new Error('no items list');
    } catch (e) {
      problem(`${MANIFEST_FILE} is not a valid manifest: ${(e as Error).message}`, null, MANIFEST_FILE);
      return report;
    }
    report.exportId = typeof manifest.exportId === 'string' ? manifest.exportId : null;
    report.incident = manifest.incident ? { id: String(manifest.incident.id), number: String(manifest.incident.number) } : null;
    report.items = manifest.items.length;
    const listed = new Set<string>();
    for (const item of manifest.items) {
      const files = Array.isArray(item.files) ? item.files : [];
      if (!files.length) problem(`item ${item.id} lists no files`, item.id);
      for (const f of files) {
        listed.add(f.path);
        report.files++;
        const e = one(f.path);
        if (!e) {
          problem(`${f.path} (item ${item.id}) is missing from the package`, item.id, f.path);
          continue;
        }
        const got = await hashEntry(zip, e);
        if (got.sha256 !== f.sha256) problem(`${f.path} (item ${item.id}): sha256 ${got.sha256} differs from the manifest's ${f.sha256}: the file was changed`, item.id, f.path);
        else if (got.bytes !== f.bytes) problem(`${f.path} (item ${item.id}): ${got.bytes} bytes, the manifest says ${f.bytes}`, item.id, f.path);
      }
      const own = item.kind === 'clip' ? files[0]?.sha256 : rangeDigest(files.map((f) => ({ objectKey: '', sha256: f.sha256, bytes: f.bytes, from: f.from ?? '', to: f.to ?? '' })));
      if (files.length && own !== item.sha256) problem(`item ${item.id}: its files do not add up to the item's recorded sha256 ${item.sha256}`, item.id);
    }
    for (const name of entries.keys()) if (!listed.has(name) && !KNOWN.has(name)) problem(`${name} is in the package but not in the manifest`, null, name);
    report.ok = report.problems.length === 0 && report.signature === 'valid';
    return report;
  } catch (e) {
    problem(`the package could not be read: ${(e as Error).message}`);
    return report;
  } finally {
    zip.close();
  }
}
