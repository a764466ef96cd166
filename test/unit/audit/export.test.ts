/** The audit export's pure parts: paging below its own entry, CSV records, file names. */
import { expect } from 'chai';
import type { AuditEntryView, AuditFilter } from '@server/audit/audit-repository';
import { auditCsvRecord, auditEntries, auditExportFilename, EXPORT_PAGE } from '@server/audit/export';

const entry = (id: number): AuditEntryView => ({
  id: String(id),
  at: '2026-11-30T08:00:00.000Z',
  actorId: null,
  actorName: 'admin',
  actorRole: 'admin',
  action: 'test.x',
  targetType: null,
  targetId: null,
  ip: null,
  requestId: null,
  details: { id },
});

describe('audit export', () => {
  it('reads every entry older than its own, newest first, one page at a time', async () => {
    const total = EXPORT_PAGE * 2 + 3;
    const asked: Array<AuditFilter & { limit: number }> = [];
    const fake = {
      page: async (f: AuditFilter, limit: number) => {
        asked.push({ ...f, limit });
        const below = Number(f.cursor);
        const items = Array.from({ length: Math.min(limit, below - 1) }, (_, i) => entry(below - 1 - i));
        return { items, nextCursor: below - 1 > limit ? items[items.length - 1]!.id : null };
      },
    };
    const ids: string[] = [];
    for await (const e of auditEntries(fake, { action: 'test.' }, String(total + 1))) ids.push(e.id);
    expect(ids).to.deep.equal(Array.from({ length: total }, (_, i) => String(total - i)));
    expect(asked.map((a) => [a.action, a.cursor, a.limit])).to.deep.equal([
      ['test.', String(total + 1), EXPORT_PAGE],
      ['test.', String(total + 1 - EXPORT_PAGE), EXPORT_PAGE],
      ['test.', String(total + 1 - 2 * EXPORT_PAGE), EXPORT_PAGE],
    ]);
  });

  it('writes nulls as empty cells and details as JSON; names the file by UTC time', () => {
    expect(auditCsvRecord(entry(7))).to.include({ id: '7', actorId: '', targetType: '', details: '{"id":7}' });
    expect(auditExportFilename('csv', new Date('2026-11-30T17:23:05.123Z'))).to.equal('audit-20261130T172305Z.csv');
    expect(auditExportFilename('ndjson', new Date('2026-01-02T03:04:05Z'))).to.equal('audit-20260102T030405Z.ndjson');
  });
});
