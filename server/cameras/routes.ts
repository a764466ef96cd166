/** /api/v1/cameras: thin handlers -> CamerasService. Every route needs a signed-in user. */
import { pipeline } from 'node:stream';
import { Readable } from 'node:stream';
import express, { Router, type Request } from 'express';
import { actorOf } from '@server/audit/audit-repository';
import type { AppContext } from '@server/context';
import { badRequest } from '@server/http/problem';
import { csvPages } from '@server/http/csv-safe';
import { requireAuth, requireRole } from '@server/auth/middleware';
import { userOf } from './guards';
import { parseBody, parseParams, parseQuery } from '@server/schemas/validate';
import { z } from '@server/schemas/openapi';
import { EXPORT_COLUMNS } from './csv';
import { cameraPreview } from './preview';
import { assertNotMerchant, type Actor } from './service';
import type { CamerasService } from './status';
import { CameraInputSchema, CameraPatchSchema, ConsentWithdrawalSchema, EnrollmentInputSchema, ListQuerySchema } from './schemas';
import './openapi';

export const IdParams = z.object({ id: z.uuid() });
/** The one route that reads a large body (import.maxBytes); every other route has http.bodyLimit. */
export const CAMERA_IMPORT_PATH = '/cameras/import';
export const ImportQuery = z.object({ partial: z.enum(['true', 'false']).default('false') }).strict();
export const HistoryQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(200).optional() }).strict();

const actor = (req: Request): Actor => ({ user: userOf(req), audit: actorOf(req) });

/**
 * The camera's entity tag: its version, plus when its live status last changed (status changes
 * are not edits and do not bump the version, but they change what GET returns, so a cached copy
 * must not be revalidated across them). If-Match compares only the version part.
 */
export const cameraEtag = (cam: { version: number; statusChangedAt: string | null }): string =>
  `"${cam.version}${cam.statusChangedAt ? `-${Date.parse(cam.statusChangedAt)}` : ''}"`;

/** Version from the body, else from If-Match ("3", "3-<status time>", W/"3" or 3). */
function versionOf(req: Request, bodyVersion: number | undefined): number | undefined {
  if (bodyVersion !== undefined) return bodyVersion;
  const h = req.get('if-match');
  if (!h) return undefined;
  const m = /^(?:W\/)?"?(\d+)(?:-\d+)?"?$/.exec(h.trim());
  if (!m) throw badRequest('If-Match must carry the camera version.', [{ field: 'If-Match', message: 'expected a version like "3"' }]);
  return Number(m[1]);
}

export function cameraRoutes(ctx: AppContext, cameras: CamerasService): Router {
  const r = Router();
  r.use('/cameras', requireAuth);
  const writers = requireRole('admin', 'operator', 'merchant');
  const staff = requireRole('admin', 'operator');

  r.get('/cameras', async (req, res) => {
    res.type('application/json').send(await cameras.listJson(userOf(req), parseQuery(ListQuerySchema, req)));
  });

  r.get('/cameras/export.csv', async (req, res, next) => {
    const user = userOf(req);
    assertNotMerchant(user, 'export the registry');
    const { limit: _l, cursor: _c, ...filter } = parseQuery(ListQuerySchema, req);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="cameras.csv"');
    pipeline(Readable.from(csvPages(cameras.exportPages(user, filter), EXPORT_COLUMNS)), res, (err) => {
      if (!err) return;
      if (!res.headersSent) return next(err);
      req.log?.error({ err }, 'camera export failed mid-stream');
      res.destroy(err);
    });
  });

  r.post(
    CAMERA_IMPORT_PATH,
    staff,
    express.text({ type: ['text/csv', 'application/csv'], limit: ctx.config.import.maxBytes }),
    express.json({ limit: ctx.config.import.maxBytes }),
    async (req, res) => {
      const { partial } = parseQuery(ImportQuery, req);
      let source: Parameters<CamerasService['importCameras']>[1];
      if (typeof req.body === 'string') source = { format: 'csv', text: req.body };
      else if (Array.isArray(req.body)) source = { format: 'json', items: req.body as unknown[] };
      else if (req.body && typeof req.body === 'object' && Array.isArray((req.body as { items?: unknown }).items) && Object.keys(req.body as object).length === 1) {
        source = { format: 'json', items: (req.body as { items: unknown[] }).items };
      } else throw badRequest('Send text/csv, a JSON array of cameras, or {items: [...]}.', [{ field: '(body)', message: 'expected CSV or a JSON array' }]);
      res.json(await cameras.importCameras(actor(req), source, partial === 'true'));
    },
  );

  r.get('/cameras/:id', async (req, res) => {
    const cam = await cameras.getJson(userOf(req), parseParams(IdParams, req).id);
    res.setHeader('ETag', cameraEtag(cam));
    res.type('application/json').send(cam.json);
  });

  r.get('/cameras/:id/status-history', async (req, res) => {
    const { id } = parseParams(IdParams, req);
    const { limit, cursor } = parseQuery(HistoryQuery, req);
    res.json(await cameras.statusHistory(userOf(req), id, limit, cursor));
  });

  r.post('/cameras', writers, async (req, res) => {
    const cam = await cameras.create(actor(req), parseBody(CameraInputSchema, req));
    res.status(201).setHeader('Location', `/api/v1/cameras/${cam.id}`).setHeader('ETag', cameraEtag(cam)).json(cam);
  });

  r.patch('/cameras/:id', writers, async (req, res) => {
    const { id } = parseParams(IdParams, req);
    const patch = parseBody(CameraPatchSchema, req);
    const cam = await cameras.update(actor(req), id, patch, versionOf(req, patch.version));
    res.setHeader('ETag', cameraEtag(cam));
    res.json(cam);
  });

  r.delete('/cameras/:id', writers, async (req, res) => {
    await cameras.remove(actor(req), parseParams(IdParams, req).id);
    res.status(204).end();
  });

  const preview = cameraPreview(ctx, cameras);
  r.get('/cameras/:id/preview.jpg', staff, async (req, res) => {
    const jpeg = await preview.frame(actor(req), parseParams(IdParams, req).id);
    res.status(200).type('image/jpeg').setHeader('Cache-Control', 'no-store').send(jpeg);
  });

  r.post('/cameras/:id/consent/withdraw', requireRole('merchant'), async (req, res) => {
    const { id } = parseParams(IdParams, req);
    const { reason } = parseBody(ConsentWithdrawalSchema, req);
    await cameras.withdrawConsent(actor(req), id, reason ?? null);
    res.status(204).end();
  });

  r.post('/cameras/:id/enrollment', staff, async (req, res) => {
    const { id } = parseParams(IdParams, req);
    const body = parseBody(EnrollmentInputSchema, req);
    res.json(await cameras.setEnrollment(actor(req), id, body.state, body.reason));
  });

  return r;
}
