/**
 * The append-only audit log. `recordAudit` takes the transaction of the change it records, so
 * the entry and the change commit or roll back together. The table rejects UPDATE and DELETE.
 */
import type { Request } from 'express';
import { auditLog } from '@server/db/schema/index';
import type { Db } from '@server/db/database';

export interface AuditEntry {
  action: string; // e.g. 'camera.create', 'user.update', 'auth.login.failed'
  targetType?: string; // 'camera', 'user', ...
  targetId?: string;
  details?: Record<string, unknown>; // never secrets
}

export interface AuditActor {
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  ip: string | null;
  requestId: string | null;
}

/** Who and from where, taken from the request. */
export function actorOf(req: Request): AuditActor {
  return {
    actorId: req.user?.id ?? null,
    actorName: req.user?.username ?? null,
    actorRole: req.user?.role ?? null,
    ip: req.ip ?? null,
    requestId: req.id ? String(req.id) : null,
  };
}

export async function recordAudit(tx: Db, actor: AuditActor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    ...actor,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.details ?? {},
  });
}
