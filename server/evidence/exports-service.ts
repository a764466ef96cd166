/**
 * Export packages: POST creates a job and builds it in the background (one zip: every current
 * evidence item's files, each re-hashed while it streams and checked against its record, then the
 * signed manifest with the custody log), stores it in object storage and deletes the local file.
 * Every item exported and every package download writes a custody entry. A building job renews its
 * heartbeat (a job whose process died is failed by `failAbandoned`, see index.ts); recorded
 * segments are read from this node's hot cache when not archived yet, and a job whose segments are
 * only on another worker's disk waits for the archive (`waiting` says so) up to `archiveWaitMs`.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { recordAudit } from '@server/audit/audit-repository';
import type { Database } from '@server/db/database';
import { conflict, notFound } from '@server/http/problem';
import type { ClipSource, IncidentAccess, IncidentRef } from '@server/incidents/ports';
import type { ObjectStore } from '@server/storage/object-store';
import type { CustodyLogRepository } from './custody-log';
import type { ExportJob, ExportsRepository } from './exports-repository';
import type { Caller } from './items-service';
import type { EvidenceItem, EvidenceItemsRepository } from './items-repository';
import { buildManifest, itemDir, MANIFEST_FILE, PUBLIC_KEY_FILE, segmentFileName, SIGNATURE_FILE, type ManifestCamera, type ManifestFile } from './manifest';
import { writePackage, type PackageEntry } from './package-writer';
import type { SegmentFiles } from './segment-files';
import type { SigningKey } from './signing-key';

export interface ExportDeps {
  database: Database;
  exports: ExportsRepository;
  items: EvidenceItemsRepository;
  custody: CustodyLogRepository;
  incidents: IncidentAccess;
  clips: ClipSource;
  objects: Pick<ObjectStore, 'get' | 'putFile'>;
  key: SigningKey;
  cameras(ids: string[]): Promise<ManifestCamera[]>;
  /** Where range items' recorded segments can be read now (hot cache or archive). */
  segments: SegmentFiles;
  /** Where packages are assembled before they go to object storage. */
  tmpDir: string;
  /** How often a building job renews its heartbeat (and a waiting one looks for its segments again). */
  heartbeatMs: number;
  /** How long a job waits for segments cached on another worker to reach the archive. */
  archiveWaitMs: number;
  now: () => Date;
  log: { error(obj: object, msg: string): void };
}

const README = `Sky Eye evidence package.
manifest.json lists every item, its files with SHA-256, cameras, time ranges, gaps and the custody log.
manifest.sig is an Ed25519 signature (base64) over the exact bytes of manifest.json by the deployment's key
(public key: GET /api/v1/evidence/public-key; a copy is in public-key.pem, which proves nothing by itself).
Check it with: npm run verify -- --package FILE.zip --public-key KEY.pem
`;

export class ExportService {
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  constructor(private readonly deps: ExportDeps) {}

  async create(caller: Caller, incidentId: string): Promise<ExportJob> {
    const incident = await this.deps.incidents.require(caller.user, incidentId, 'view');
    const job = await this.deps.exports.create(incident.id, caller.user.id);
    await this.deps.database.db.transaction((tx) => recordAudit(tx, caller.audit, { action: 'evidence.export', targetType: 'export', targetId: job.id, details: { incidentId: incident.id } }));
    const p = this.run(job, incident, caller).finally(() => this.running.delete(p));
    this.running.add(p);
    return job;
  }

  async get(caller: Caller, id: string): Promise<ExportJob> {
    const job = await this.deps.exports.get(id);
    if (!job) throw notFound('Export');
    await this.deps.incidents.require(caller.user, job.incidentId, 'view');
    return job;
  }

  async list(caller: Caller, incidentId: string): Promise<ExportJob[]> {
    const incident = await this.deps.incidents.require(caller.user, incidentId, 'view');
    return this.deps.exports.listByIncident(incident.id);
  }

  async download(caller: Caller, id: string): Promise<{ job: ExportJob; body: Readable }> {
    const job = await this.get(caller, id);
    if (job.status !== 'done' || !job.objectKey) throw conflict(`The export is ${job.status}.`, { status: job.status });
    await this.deps.custody.record({ incidentId: job.incidentId, action: 'download', itemKind: 'export', itemId: job.id, sha256: job.sha256, userId: caller.user.id, address: caller.audit.ip, requestId: caller.audit.requestId });
    return { job, body: await this.deps.objects.get(job.objectKey) };
  }

  /** Waits for packages being built (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** Shutdown: a job waiting for the archive gives up (failed, says why); builds finish. */
  async close(): Promise<void> {
    this.stopping = true;
    await this.idle();
  }

  private async run(job: ExportJob, incident: IncidentRef, caller: Caller): Promise<void> {
    const file = join(this.deps.tmpDir, `${job.id}.zip`);
    const waiting: { text: string | null } = { text: null };
    let beat: ReturnType<typeof setInterval> | undefined;
    try {
      if (!(await this.deps.exports.start(job.id))) return;
      beat = setInterval(() => void this.deps.exports.heartbeat(job.id, waiting.text).catch(() => undefined), this.deps.heartbeatMs);
      const items = await this.deps.items.listByIncident(incident.id);
      if (!items.length) throw new Error('the incident has no evidence items');
      const segments = await this.readableSegments(job.id, items, waiting);
      for (const item of items) {
        await this.deps.custody.record({ incidentId: incident.id, action: 'export', itemKind: 'evidence', itemId: item.id, sha256: item.sha256, userId: caller.user.id, address: caller.audit.ip, requestId: caller.audit.requestId });
      }
      const entries = items.flatMap((item, i) => this.entries(item, itemDir(i, item), segments));
      const spans = new Map<string, { from: string; to: string }>(items.flatMap((item, i) => item.segments.map((s) => [`${itemDir(i, item)}/${segmentFileName(s.from)}`, { from: s.from, to: s.to }])));
      const cameras = await this.deps.cameras([...new Set(items.map((i) => i.cameraId))]);
      const custody = await this.deps.custody.list(incident.id);
      let manifestSha256 = '';
      await mkdir(this.deps.tmpDir, { recursive: true, mode: 0o700 });
      const zip = await writePackage(file, entries, (written) => {
        const files = new Map<string, ManifestFile[]>();
        for (const w of written) files.set(w.itemId, [...(files.get(w.itemId) ?? []), { path: w.path, sha256: w.sha256, bytes: w.bytes, ...spans.get(w.path) }]);
        const manifest = buildManifest({
          exportId: job.id, createdAt: this.deps.now(), createdBy: { id: caller.user.id, name: caller.user.username }, incident, keyId: this.deps.key.keyId, items, files, cameras, custody,
        });
        const body = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
        manifestSha256 = createHash('sha256').update(body).digest('hex');
        return {
          files: [
            { path: MANIFEST_FILE, body },
            { path: SIGNATURE_FILE, body: Buffer.from(`${this.deps.key.sign(body)}\n`) },
            { path: PUBLIC_KEY_FILE, body: Buffer.from(this.deps.key.publicKeyPem) },
            { path: 'README.txt', body: Buffer.from(README) },
          ],
        };
      });
      const objectKey = `exports/${job.id}.zip`;
      await this.deps.objects.putFile(objectKey, file, { bytes: zip.bytes, sha256: zip.sha256, contentType: 'application/zip' });
      await this.deps.exports.finish(job.id, { objectKey, sha256: zip.sha256, bytes: zip.bytes, manifestSha256, items: items.length });
      await this.deps.custody.record({ incidentId: incident.id, action: 'export', itemKind: 'export', itemId: job.id, sha256: zip.sha256, userId: caller.user.id, address: caller.audit.ip, requestId: caller.audit.requestId });
    } catch (e) {
      this.deps.log.error({ err: e, exportId: job.id }, 'evidence export failed');
      await this.deps.exports.fail(job.id, (e as Error).message).catch(() => undefined);
    } finally {
      clearInterval(beat);
      await rm(file, { force: true }).catch(() => undefined);
    }
  }

  /** Opens for every range item's segment; waits while some are only on another worker's disk. */
  private async readableSegments(jobId: string, items: EvidenceItem[], waiting: { text: string | null }): Promise<Map<string, () => Promise<Readable>>> {
    const deadline = this.deps.now().getTime() + this.deps.archiveWaitMs;
    for (;;) {
      const open = new Map<string, () => Promise<Readable>>();
      const pending: string[] = [];
      for (const item of items.filter((i) => i.kind === 'range')) {
        const found = await this.deps.segments(item.cameraId, item.segments);
        for (const [k, v] of found.open) open.set(k, v);
        pending.push(...found.pending.map((s) => `camera ${item.cameraId} ${s.from}–${s.to}`));
      }
      if (!pending.length) {
        waiting.text = null;
        return open;
      }
      const what = `${pending.length} recorded segment(s) not archived yet, cached only on another worker (${pending.slice(0, 3).join(', ')}${pending.length > 3 ? ', …' : ''})`;
      if (this.stopping) throw new Error(`interrupted: the server stopped while waiting for ${what}; create a new export`);
      if (this.deps.now().getTime() >= deadline) throw new Error(`${what}: waited ${Math.round(this.deps.archiveWaitMs / 1000)} s for the archive; create a new export once they are archived`);
      waiting.text = what;
      if (!(await this.deps.exports.heartbeat(jobId, waiting.text))) throw new Error('the export is no longer running');
      await new Promise((r) => setTimeout(r, this.deps.heartbeatMs));
    }
  }

  private entries(item: EvidenceItem, dir: string, segments: Map<string, () => Promise<Readable>>): PackageEntry[] {
    if (item.kind === 'clip') {
      const clipId = item.clipId!;
      return [{ path: `${dir}/clip.mp4`, itemId: item.id, expectSha256: item.sha256, open: () => this.deps.clips.open(clipId) }];
    }
    return item.segments.map((s) => ({ path: `${dir}/${segmentFileName(s.from)}`, itemId: item.id, expectSha256: s.sha256, open: segments.get(s.objectKey) ?? (() => this.deps.objects.get(s.objectKey)) }));
  }
}
