/** Evidence items and custody: thin handlers over EvidenceService (rules and access live there). */
import { pipeline } from 'node:stream/promises';
import { Router, type Request } from 'express';
import { actorOf } from '@server/audit/audit-repository';
import { requireAuth } from '@server/auth/middleware';
import { userOf } from '@server/cameras/guards';
import { parseBody, parseParams, parseQuery } from '@server/schemas/validate';
import type { EvidenceItem } from './items-repository';
import type { Caller, EvidenceService } from './items-service';
import { AttachBody, CorrectionBody, HistoryQuery, IncidentParam, ItemParam } from './openapi';

export const callerOf = (req: Request): Caller => ({ user: userOf(req), audit: actorOf(req) });
const date = (v: string | undefined) => (v ? new Date(v) : undefined);

export function itemView(i: EvidenceItem) {
  return {
    ...i,
    from: i.from.toISOString(),
    to: i.to.toISOString(),
    holdExpiresAt: i.holdExpiresAt?.toISOString() ?? null,
    createdAt: i.createdAt.toISOString(),
    segments: i.segments.map((s) => ({ sha256: s.sha256, bytes: s.bytes, from: s.from, to: s.to })),
  };
}

export function evidenceRoutes(evidence: EvidenceService): Router {
  const r = Router();

  r.post('/incidents/:id/evidence', requireAuth, async (req, res) => {
    const { id } = parseParams(IncidentParam, req);
    const b = parseBody(AttachBody, req);
    const input = b.kind === 'clip'
      ? { kind: 'clip' as const, clipId: b.clipId, note: b.note, holdUntil: date(b.holdUntil) }
      : { kind: 'range' as const, cameraId: b.cameraId, from: new Date(b.from), to: new Date(b.to), note: b.note, holdUntil: date(b.holdUntil) };
    res.status(201).json(itemView(await evidence.attach(callerOf(req), id, input)));
  });

  r.get('/incidents/:id/evidence', requireAuth, async (req, res) => {
    const { id } = parseParams(IncidentParam, req);
    const q = parseQuery(HistoryQuery, req);
    res.json({ items: (await evidence.list(callerOf(req), id, q.history === 'true')).map(itemView) });
  });

  r.get('/incidents/:id/custody', requireAuth, async (req, res) => {
    const { id } = parseParams(IncidentParam, req);
    res.json({ items: await evidence.custodyLog(callerOf(req), id) });
  });

  r.get('/evidence/:id', requireAuth, async (req, res) => {
    const { id } = parseParams(ItemParam, req);
    const v = await evidence.view(callerOf(req), id);
    res.json({ item: itemView(v.item), versions: v.versions.map(itemView), custody: v.custody });
  });

  r.get('/evidence/:id/download', requireAuth, async (req, res) => {
    const { id } = parseParams(ItemParam, req);
    const { item, body } = await evidence.download(callerOf(req), id);
    res.setHeader('Content-Type', 'video/mp4');
    if (item.bytes !== null) res.setHeader('Content-Length', String(item.bytes));
    res.setHeader('Content-Disposition', `attachment; filename="evidence-${item.id}-v${item.version}.mp4"`);
    res.setHeader('X-Content-SHA256', item.sha256);
    await pipeline(body, res);
  });

  r.post('/evidence/:id/versions', requireAuth, async (req, res) => {
    const { id } = parseParams(ItemParam, req);
    const b = parseBody(CorrectionBody, req);
    const item = await evidence.correct(callerOf(req), id, { reason: b.reason, note: b.note, clipId: b.clipId, from: date(b.from), to: date(b.to), holdUntil: date(b.holdUntil) });
    res.status(201).json(itemView(item));
  });

  return r;
}
