/**
 * Evidence items: attach a finished clip or a recorded range to an incident (a new immutable item
 * and a legal hold on the footage under it, with the audit entry and the custody entry, in one
 * transaction), correct one (a new version that supersedes it; the old hold stays), and read them
 * (every view and download writes a custody entry).
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AuthUser } from '@server/auth/types';
import { recordAudit, type AuditActor } from '@server/audit/audit-repository';
import type { Database } from '@server/db/database';
import { conflict, notFound, unprocessable } from '@server/http/problem';
import type { ClipSource, CustodyEntry, IncidentAccess, IncidentRef, FootageGate } from '@server/incidents/ports';
import type { LegalHoldRepository } from '@server/recordings/holds';
import type { RecordingsRepository } from '@server/recordings/repository';
import type { CustodyLogRepository, CustodyRecord } from './custody-log';
import type { EvidenceItem, EvidenceItemsRepository, NewEvidenceItem } from './items-repository';
import { gapsIn, rangeDigest, type RangeSegment } from './ranges';

/** Who asks, and from where (for audit and custody entries). */
export interface Caller {
  user: AuthUser;
  audit: AuditActor;
}

export type AttachInput =
  | { kind: 'clip'; clipId: string; note?: string; holdUntil?: Date }
  | { kind: 'range'; cameraId: string; from: Date; to: Date; note?: string; holdUntil?: Date };

export interface CorrectionInput {
  reason: string;
  note?: string;
  clipId?: string;
  from?: Date;
  to?: Date;
  holdUntil?: Date;
}

export interface EvidenceDeps {
  database: Database;
  items: EvidenceItemsRepository;
  holds: LegalHoldRepository;
  recordings: Pick<RecordingsRepository, 'listSegments'>;
  custody: CustodyLogRepository;
  incidents: IncidentAccess;
  clips: ClipSource;
  /** The owner's sharing choice for household and shopfront cameras (ranges only: clips were checked when cut). */
  footage?: Pick<FootageGate, 'check'>;
  now: () => Date;
}

type Material = Pick<NewEvidenceItem, 'kind' | 'clipId' | 'cameraId' | 'from' | 'to' | 'sha256' | 'bytes' | 'partial' | 'gaps' | 'segments'>;

const isUniqueViolation = (e: unknown) => {
  for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause) if ((c as { code?: string }).code === '23505') return true;
  return false;
};

export class EvidenceService {
  constructor(private readonly deps: EvidenceDeps) {}

  async attach(caller: Caller, incidentId: string, input: AttachInput): Promise<EvidenceItem> {
    const incident = await this.deps.incidents.require(caller.user, incidentId, 'edit');
    const material = input.kind === 'clip' ? await this.clipMaterial(incident, input.clipId, 'clipId') : await this.rangeMaterial(incident.id, input.cameraId, input.from, input.to);
    const id = randomUUID();
    return this.store(caller, incident, { ...material, id, rootId: id, version: 1, supersedes: null, note: input.note ?? '', reason: null, holdUntil: input.holdUntil });
  }

  async correct(caller: Caller, itemId: string, input: CorrectionInput): Promise<EvidenceItem> {
    const prev = await this.deps.items.get(itemId);
    if (!prev) throw notFound('Evidence item');
    const incident = await this.deps.incidents.require(caller.user, prev.incidentId, 'edit');
    if (prev.supersededBy) throw conflict(`Version ${prev.version} was already corrected; correct the newest version.`, { newest: prev.supersededBy });
    let material: Material;
    if (prev.kind === 'clip') {
      if (input.from || input.to) throw unprocessable('A clip item takes another clip, not a new range.', [{ field: 'from', message: 'only for range items' }]);
      material = input.clipId ? await this.clipMaterial(incident, input.clipId, 'clipId') : prev;
    } else {
      if (input.clipId) throw unprocessable('A range item takes a new range, not a clip.', [{ field: 'clipId', message: 'only for clip items' }]);
      material = input.from || input.to ? await this.rangeMaterial(incident.id, prev.cameraId, input.from ?? prev.from, input.to ?? prev.to) : prev;
    }
    return this.store(caller, incident, {
      ...pickMaterial(material),
      id: randomUUID(),
      rootId: prev.rootId,
      version: prev.version + 1,
      supersedes: prev.id,
      note: input.note ?? prev.note,
      reason: input.reason,
      holdUntil: input.holdUntil,
    });
  }

  /** The newest version of each item (every version with `history`); one custody view per item listed. */
  async list(caller: Caller, incidentId: string, history = false): Promise<EvidenceItem[]> {
    await this.deps.incidents.require(caller.user, incidentId, 'view');
    const items = await this.deps.items.listByIncident(incidentId, history);
    for (const item of items) await this.custody(caller, item, 'view');
    return items;
  }

  async view(caller: Caller, itemId: string): Promise<{ item: EvidenceItem; versions: EvidenceItem[]; custody: CustodyRecord[] }> {
    const item = await this.visible(caller, itemId);
    await this.custody(caller, item, 'view');
    return { item, versions: await this.deps.items.versions(item.rootId), custody: await this.deps.custody.list(item.incidentId, { kind: 'evidence', id: item.id }) };
  }

  /** A clip item's MP4, streamed (custody 'download' before the first byte). */
  async download(caller: Caller, itemId: string): Promise<{ item: EvidenceItem; body: Readable }> {
    const item = await this.visible(caller, itemId);
    if (item.kind !== 'clip' || !item.clipId) throw unprocessable('A recorded range downloads as part of an export package.', [{ field: 'id', message: 'not a clip item' }]);
    await this.custody(caller, item, 'download');
    return { item, body: await this.deps.clips.open(item.clipId) };
  }

  async custodyLog(caller: Caller, incidentId: string): Promise<CustodyRecord[]> {
    await this.deps.incidents.require(caller.user, incidentId, 'view');
    return this.deps.custody.list(incidentId);
  }

  private async visible(caller: Caller, itemId: string): Promise<EvidenceItem> {
    const item = await this.deps.items.get(itemId);
    if (!item) throw notFound('Evidence item');
    await this.deps.incidents.require(caller.user, item.incidentId, 'view');
    return item;
  }

  private custody(caller: Caller, item: EvidenceItem, action: CustodyEntry['action']): Promise<void> {
    return this.deps.custody.record({
      incidentId: item.incidentId, action, itemKind: 'evidence', itemId: item.id, sha256: item.sha256,
      userId: caller.user.id, address: caller.audit.ip, requestId: caller.audit.requestId,
    });
  }

  private async store(caller: Caller, incident: IncidentRef, v: Omit<NewEvidenceItem, 'holdId' | 'holdExpiresAt' | 'createdBy' | 'incidentId'> & { holdUntil?: Date }): Promise<EvidenceItem> {
    if (v.holdUntil && v.holdUntil <= this.deps.now()) throw unprocessable('The hold must end in the future.', [{ field: 'holdUntil', message: 'must be in the future' }]);
    const { holdUntil, ...rest } = v;
    try {
      await this.deps.database.db.transaction(async (tx) => {
        const hold = await this.deps.holds.create(
          { cameraId: v.cameraId, from: v.from, to: v.to, reason: `evidence ${v.id} (v${v.version}) of incident ${incident.number}`, createdBy: caller.user.id, expiresAt: holdUntil ?? null },
          tx,
        );
        const item: NewEvidenceItem = { ...rest, incidentId: incident.id, holdId: hold.id, holdExpiresAt: hold.expiresAt, createdBy: caller.user.id };
        await this.deps.items.insert(tx, item);
        await recordAudit(tx, caller.audit, {
          action: v.version === 1 ? 'evidence.attach' : 'evidence.correct',
          targetType: 'evidence',
          targetId: v.id,
          details: { incidentId: incident.id, kind: v.kind, version: v.version, supersedes: v.supersedes, cameraId: v.cameraId, from: v.from.toISOString(), to: v.to.toISOString(), sha256: v.sha256, holdId: hold.id },
        });
        await this.deps.custody.record(
          { incidentId: incident.id, action: 'attach', itemKind: 'evidence', itemId: v.id, sha256: v.sha256, userId: caller.user.id, address: caller.audit.ip, requestId: caller.audit.requestId },
          tx,
        );
      });
    } catch (e) {
      if (v.supersedes && isUniqueViolation(e)) throw conflict('This version was corrected meanwhile; correct the newest version.');
      throw e;
    }
    return (await this.deps.items.get(v.id))!;
  }

  private async clipMaterial(incident: IncidentRef, clipId: string, field: string): Promise<Material> {
    const clip = await this.deps.clips.get(clipId);
    if (!clip || clip.incidentId !== incident.id) throw unprocessable('No such clip in this incident.', [{ field, message: 'not a clip of this incident' }]);
    if (clip.status !== 'done' || !clip.sha256) throw unprocessable(`The clip is ${clip.status}; only a finished clip can be evidence.`, [{ field, message: `clip is ${clip.status}` }]);
    return {
      kind: 'clip',
      clipId: clip.id,
      cameraId: clip.cameraId,
      from: clip.actualFrom ?? clip.requestedFrom,
      to: clip.actualTo ?? clip.requestedTo,
      sha256: clip.sha256,
      bytes: clip.bytes,
      partial: clip.partial,
      gaps: clip.gaps.map((g) => ({ from: g.from.toISOString(), to: g.to.toISOString() })),
      segments: [],
    };
  }

  private async rangeMaterial(incidentId: string, cameraId: string, from: Date, to: Date): Promise<Material> {
    if (from >= to) throw unprocessable('from must be before to.', [{ field: 'from', message: 'must be before to' }]);
    const shared = (await this.deps.footage?.check(incidentId, cameraId, from, to)) ?? { allowed: true, reason: null };
    if (!shared.allowed) throw unprocessable(shared.reason ?? "The owner has not released this range.", [{ field: 'cameraId', message: shared.reason ?? 'not released by the owner' }]);
    const rows = await this.deps.recordings.listSegments(cameraId, from, to);
    if (!rows.length) throw unprocessable('This camera has no recording in the range.', [{ field: 'cameraId', message: 'no recording in [from, to)' }]);
    const segments: RangeSegment[] = rows.map((s) => ({ objectKey: s.objectKey, sha256: s.sha256, bytes: s.bytes, from: s.start.toISOString(), to: s.end.toISOString() }));
    const gaps = gapsIn(segments, from, to);
    return { kind: 'range', clipId: null, cameraId, from, to, sha256: rangeDigest(segments), bytes: segments.reduce((n, s) => n + s.bytes, 0), partial: gaps.length > 0, gaps, segments };
  }
}

function pickMaterial(m: Material): Material {
  return { kind: m.kind, clipId: m.clipId, cameraId: m.cameraId, from: m.from, to: m.to, sha256: m.sha256, bytes: m.bytes, partial: m.partial, gaps: m.gaps, segments: m.segments };
}
