/**
 * The append-only audit log, the only owner of audit_log's SQL. `recordAudit` takes the
 * transaction of the change it records, so the entry and the change commit or roll back
 * together. The table rejects UPDATE and DELETE.
 */
import { and, desc, eq, gte, like, lt, type SQL } from 'drizzle-orm';
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

export interface AuditFilter {
  actor?: string;
  /** Exact action, or a prefix ending in "." */
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
  /** Entries older than this id (a nextCursor). */
  cursor?: string;
}

export interface AuditEntryView {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** Records an entry on its own (no change to commit with it) and returns its id. */
  async record(actor: AuditActor, entry: AuditEntry): Promise<string> {
    const [row] = await this.db
      .insert(auditLog)
      .values({ ...actor, action: entry.action, targetType: entry.targetType ?? null, targetId: entry.targetId ?? null, details: entry.details ?? {} })
      .returning({ id: auditLog.id });
    return String(row!.id);
  }

  /** Newest first, `limit` entries and the cursor of the next (older) page. */
  async page(f: AuditFilter, limit: number): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
    const where: SQL[] = [];
    if (f.actor) where.push(eq(auditLog.actorName, f.actor));
    if (f.action) where.push(f.action.endsWith('.') ? like(auditLog.action, `${f.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : eq(auditLog.action, f.action));
    if (f.targetType) where.push(eq(auditLog.targetType, f.targetType));
    if (f.targetId) where.push(eq(auditLog.targetId, f.targetId));
    if (f.from) where.push(gte(auditLog.at, new Date(f.from)));
    if (f.to) where.push(lt(auditLog.at, new Date(f.to)));
    if (f.cursor) where.push(lt(auditLog.id, Number(f.cursor)));
    const rows = await this.db.select().from(auditLog).where(and(...where)).orderBy(desc(auditLog.id)).limit(limit + 1);
    const page = rows.slice(0, limit);
    return {
      items: page.map((x) => ({
        id: String(x.id),
        at: new Date(x.at).toISOString(),
        actorId: x.actorId,
        actorName: x.actorName,
        actorRole: x.actorRole,
        action: x.action,
        targetType: x.targetType,
        targetId: x.targetId,
        ip: x.ip,
        requestId: x.requestId,
        details: (typeof x.details === 'string' ? JSON.parse(x.details) : x.details) as Record<string, unknown>,
      })),
      nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null,
    };
  }
}
