/**
 * The audit log export (GET /api/v1/audit/export.csv|.ndjson): the viewer's filters, newest first,
 * read page by page with the viewer's cursor so the table is never held in memory. The export's
 * own entry (`audit.export`) is written first and bounds it: only entries older than that one are
 * exported, so a long download does not chase entries written while it runs.
 */
import { csvLines } from '@server/http/csv-safe';
import type { AuditEntryView, AuditFilter, AuditRepository } from './audit-repository';

export const AUDIT_EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

/** CSV columns, in order (details as compact JSON). */
export const AUDIT_CSV_COLUMNS = ['id', 'at', 'actorName', 'actorRole', 'actorId', 'action', 'targetType', 'targetId', 'ip', 'requestId', 'details'] as const;

/** Rows one database read returns. */
export const EXPORT_PAGE = 500;

/** Every entry matching `filter` older than the entry `before`, newest first, one page at a time. */
export async function* auditEntries(audit: Pick<AuditRepository, 'page'>, filter: Omit<AuditFilter, 'cursor'>, before: string): AsyncGenerator<AuditEntryView> {
  let cursor: string | null = before;
  while (cursor !== null) {
    const page: { items: AuditEntryView[]; nextCursor: string | null } = await audit.page({ ...filter, cursor }, EXPORT_PAGE);
    yield* page.items;
    cursor = page.nextCursor;
  }
}

/** One entry as a CSV record (strings; null as empty). Formulas are neutralised by the writer (csvLines). */
export function auditCsvRecord(e: AuditEntryView): Record<(typeof AUDIT_CSV_COLUMNS)[number], string> {
  return {
    id: e.id,
    at: e.at,
    actorName: e.actorName ?? '',
    actorRole: e.actorRole ?? '',
    actorId: e.actorId ?? '',
    action: e.action,
    targetType: e.targetType ?? '',
    targetId: e.targetId ?? '',
    ip: e.ip ?? '',
    requestId: e.requestId ?? '',
    details: JSON.stringify(e.details),
  };
}

/** CSV: the header, then one line per entry. */
export async function* csvText(entries: AsyncIterable<AuditEntryView>): AsyncGenerator<string> {
  yield csvLines([], AUDIT_CSV_COLUMNS, true);
  for await (const e of entries) yield csvLines([auditCsvRecord(e)], AUDIT_CSV_COLUMNS);
}

/** NDJSON: one entry per line. */
export async function* ndjsonLines(entries: AsyncIterable<AuditEntryView>): AsyncGenerator<string> {
  for await (const e of entries) yield `${JSON.stringify(e)}\n`;
}

/** audit-20261130T172300Z.csv (UTC, safe in a Content-Disposition header). */
export function auditExportFilename(format: AuditExportFormat, now: Date): string {
  return `audit-${now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '')}.${format}`;
}
