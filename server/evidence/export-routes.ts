/** Export packages and package verification: thin handlers over ExportService and verifyPackage. */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request } from 'express';
import { recordAudit } from '@server/audit/audit-repository';
import { requireAuth } from '@server/auth/middleware';
import type { Database } from '@server/db/database';
import { HttpError } from '@server/http/problem';
import { parseParams } from '@server/schemas/validate';
import type { CustodyLog } from '@server/incidents/ports';
import type { ExportJob } from './exports-repository';
import type { ExportService } from './exports-service';
import { ExportParam, IncidentParam } from './openapi';
import { verifyPackage } from './package-verify';
import { callerOf } from './routes';
import type { SigningKey } from './signing-key';

export interface ExportRouteDeps {
  exports: ExportService;
  database: Database;
  custody: CustodyLog;
  key: SigningKey;
  /** Configured public origin for absolute URLs; null: the request's own. */
  publicOrigin: string | null;
  tmpDir: string;
  maxUploadBytes: number;
}

function exportView(job: ExportJob, origin: string) {
  return {
    id: job.id, incidentId: job.incidentId, status: job.status,
    url: job.status === 'done' ? `${origin}/api/v1/exports/${job.id}/download` : null,
    sha256: job.sha256, bytes: job.bytes, manifestSha256: job.manifestSha256, items: job.items, error: job.error, waiting: job.waiting,
    createdAt: job.createdAt.toISOString(), finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

/** Streams the request body to `file`, refusing past `max` bytes (413). */
async function saveBody(req: Request, file: string, max: number): Promise<void> {
  let n = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      cb(n > max ? new HttpError(413, 'Payload too large', `The package is larger than ${max} bytes.`) : null, chunk);
    },
  });
  await pipeline(req, cap, createWriteStream(file, { mode: 0o600 }));
}

export function exportRoutes(d: ExportRouteDeps): Router {
  const r = Router();
  const origin = (req: Request) => d.publicOrigin ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;

  r.post('/incidents/:id/exports', requireAuth, async (req, res) => {
    const { id } = parseParams(IncidentParam, req);
    const job = await d.exports.create(callerOf(req), id);
    res.status(202).json({ id: job.id });
  });

  r.get('/incidents/:id/exports', requireAuth, async (req, res) => {
    const { id } = parseParams(IncidentParam, req);
    const o = origin(req);
    res.json({ items: (await d.exports.list(callerOf(req), id)).map((j) => exportView(j, o)) });
  });

  r.get('/exports/:id', requireAuth, async (req, res) => {
    const { id } = parseParams(ExportParam, req);
    res.json(exportView(await d.exports.get(callerOf(req), id), origin(req)));
  });

  r.get('/exports/:id/download', requireAuth, async (req, res) => {
    const { id } = parseParams(ExportParam, req);
    const { job, body } = await d.exports.download(callerOf(req), id);
    res.setHeader('Content-Type', 'application/zip');
    if (job.bytes !== null) res.setHeader('Content-Length', String(job.bytes));
    res.setHeader('Content-Disposition', `attachment; filename="evidence-${job.id}.zip"`);
    if (job.sha256) res.setHeader('X-Content-SHA256', job.sha256);
    await pipeline(body, res);
  });

  r.post('/evidence/verify', requireAuth, async (req, res) => {
    const caller = callerOf(req);
    if (!req.is(['application/zip', 'application/octet-stream', 'application/x-zip-compressed'])) {
      throw new HttpError(415, 'Unsupported media type', 'Send the package as the body, Content-Type: application/zip.');
    }
    await mkdir(d.tmpDir, { recursive: true, mode: 0o700 });
    const file = join(d.tmpDir, `verify-${randomUUID()}.zip`);
    try {
      await saveBody(req, file, d.maxUploadBytes);
      const report = await verifyPackage(file, d.key.publicKeyPem);
      await d.database.db.transaction((tx) =>
        recordAudit(tx, caller.audit, { action: 'evidence.verify', targetType: 'export', targetId: report.exportId ?? undefined, details: { ok: report.ok, signature: report.signature, problems: report.problems.length } }),
      );
      if (report.signature === 'valid' && report.incident && report.exportId) {
        await d.custody.record({ incidentId: report.incident.id, action: 'verify', itemKind: 'export', itemId: report.exportId, sha256: null, userId: caller.user.id, address: caller.audit.ip, requestId: caller.audit.requestId });
      }
      res.json(report);
    } finally {
      await rm(file, { force: true });
    }
  });

  return r;
}
