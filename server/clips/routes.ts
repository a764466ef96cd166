/**
 * POST /incidents/{id}/clips, GET /incidents/{id}/clips, GET /clips/{id}, POST /clips/{id}/cancel, GET /clips/{id}/download
 * (Range). Thin: parse, ask the ClipsService (which authorises per incident), answer.
 */
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { requireAuth } from '@server/auth/middleware';
import { userOf } from '@server/cameras/guards';
import { HttpError } from '@server/http/problem';
import { parseBody, parseParams } from '@server/schemas/validate';
import { byteRange } from './inputs';
import { ClipBody, IdParam } from './openapi';
import type { ClipRow } from './repository';
import type { ClipsService } from './service';

export function clipView(c: ClipRow) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: c.id,
    incidentId: c.incidentId,
    cameraId: c.cameraId,
    status: c.status,
    progress: c.progress,
    requestedFrom: c.requestedFrom.toISOString(),
    requestedTo: c.requestedTo.toISOString(),
    actualFrom: iso(c.actualFrom),
    actualTo: iso(c.actualTo),
    partial: c.partial,
    gaps: c.gaps.map((g) => ({ from: g.from.toISOString(), to: g.to.toISOString() })),
    sha256: c.sha256,
    bytes: c.bytes,
    error: c.status === 'failed' ? c.error : null,
  };
}

export function clipRoutes(clips: ClipsService): Router {
  const router = Router();

  router.post('/incidents/:id/clips', requireAuth, async (req, res) => {
    const { id } = parseParams(IdParam, req);
    const body = parseBody(ClipBody, req);
    const many = 'cameraIds' in body;
    const ids = await clips.create(userOf(req), id, {
      cameraIds: many ? body.cameraIds : [body.cameraId],
      field: many ? 'cameraIds' : 'cameraId',
      from: new Date(body.from),
      to: new Date(body.to),
    });
    res.status(202).json(many ? { ids } : { id: ids[0] });
  });

  router.get('/incidents/:id/clips', requireAuth, async (req, res) => {
    const { id } = parseParams(IdParam, req);
    res.json({ items: (await clips.listByIncident(userOf(req), id)).map(clipView) });
  });

  router.get('/clips/:id', requireAuth, async (req, res) => {
    const { id } = parseParams(IdParam, req);
    res.json(clipView(await clips.get(userOf(req), id)));
  });

  router.post('/clips/:id/cancel', requireAuth, async (req, res) => {
    const { id } = parseParams(IdParam, req);
    res.json(clipView(await clips.cancel(userOf(req), id)));
  });

  router.get('/clips/:id/download', requireAuth, async (req, res) => {
    const { id } = parseParams(IdParam, req);
    const user = userOf(req);
    const clip = await clips.get(user, id);
    const size = clip.bytes ?? 0;
    const range = clip.status === 'done' ? byteRange(req.headers.range, size) : null;
    if (range === 'bad') {
      res.setHeader('Content-Range', `bytes */${size}`);
      throw new HttpError(416, 'Range not satisfiable', `The clip has ${size} bytes.`);
    }
    const d = await clips.download(user, id, range, { address: req.ip ?? null, requestId: req.id ? String(req.id) : null });
    res.status(range ? 206 : 200);
    res.setHeader('Content-Type', 'video/mp4');
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Content-Length', String(d.end - d.start));
    res.setHeader('Content-Disposition', `attachment; filename="clip-${d.clip.id}.mp4"`);
    res.setHeader('ETag', `"${d.clip.sha256 ?? ''}"`);
    res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(d.clip.sha256 ?? '', 'hex').toString('base64')}:`);
    if (range) res.setHeader('Content-Range', `bytes ${d.start}-${d.end - 1}/${size}`);
    await pipeline(d.stream, res).catch(() => undefined);
  });

  return router;
}
