/**
 * Bulk import (CSV text or JSON items) and CSV export. The valid rows go in one transaction, 500
 * rows per INSERT (one JSON parameter each), with one audit entry; a batch is inserted while the
 * next is validated, and one invalid row (without partial=true) rolls the whole import back.
 * A 10,000-row import is seconds of CPU: every step, the CSV parse included, works in slices and
 * yields to the event loop between them (`mapYielding`, `parseCsvYielding`), so health checks, lease renewal and live media go on.
 * The import is announced once (`cameras:imported`), and its rows list in the file's order.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { mapYielding } from '@common/yielding';
import { parse, type Options as CsvOptions } from 'csv-parse';
import type { AuthUser } from '@server/auth/types';
import { fieldErrors, HttpError, unprocessable, badRequest, type FieldError } from '@server/http/problem';
import * as repository from './repository';
import { newRow, orgRefErrors } from './rows';
import { CameraCrud, assertNotMerchant, assertStaff, scopeOf, type Actor } from './service';
import { CameraInputSchema, type CameraFilter, type ImportReport } from './schemas';
import { EXPORT_COLUMNS, cameraToCsvRow, checkHeader, csvField, csvRowToInput } from './csv';
import type { Cursor } from './cursor';
import { csvUnquoteCell } from '@server/http/csv-safe';

export const IMPORT_BATCH = 500;
/** Cameras per page of the CSV export (one query, one write). */
const EXPORT_PAGE = 1000;
/** Rows handled between two yields to the event loop (parsing, validating, publishing). */
export const YIELD_ROWS = 100;

/** Characters of CSV text parsed between two yields (~200 rows of a camera file, about a millisecond). */
const PARSE_SLICE = 16 * 1024;

/**
 * Parses CSV text into records, feeding the parser a slice at a time and letting the event loop
 * turn between slices: the synchronous parse of a 10k-row file held the loop for 40–65 ms.
 */
export async function parseCsvYielding(text: string, options: CsvOptions): Promise<string[][]> {
  const parser = parse(options);
  const records: string[][] = [];
  let failed: Error | undefined;
  parser.on('readable', () => {
    let r: string[] | null;
    while ((r = parser.read() as string[] | null) !== null) records.push(r);
  });
  parser.on('error', (e: Error) => (failed ??= e));
  const ended = new Promise<void>((resolve) => parser.once('end', resolve).once('close', resolve));
  for (let i = 0; i < text.length && !failed; i += PARSE_SLICE) {
    parser.write(text.slice(i, i + PARSE_SLICE));
    await nextTurn();
  }
  if (!failed) parser.end();
  await ended;
  if (failed) throw failed;
  return records;
}

export type ImportSource = { format: 'csv'; text: string } | { format: 'json'; items: unknown[] };

interface RowError {
  row: number;
  field: string;
  message: string;
}

export class CameraBulk extends CameraCrud {
  /** Parses and validates every row; returns inputs for the good rows and errors for the bad. */
  private async prepare(source: ImportSource): Promise<{ rows: Array<{ row: number; input: unknown; errors: FieldError[] }>; csv: boolean }> {
    const org = await this.deps.org.index();
    const max = this.deps.ctx.config.import.maxRows;
    if (source.format === 'json') {
      if (source.items.length > max) throw new HttpError(413, 'Payload too large', `At most ${max} rows per import; got ${source.items.length}.`);
      return { rows: source.items.map((input, i) => ({ row: i + 1, input, errors: [] })), csv: false };
    }
    let records: string[][];
    try {
      records = await parseCsvYielding(source.text, { bom: true, skip_empty_lines: true, relax_column_count: false, trim: false });
    } catch (e) {
      throw badRequest('The CSV could not be parsed.', [{ field: '(body)', message: (e as Error).message }]);
    }
    const [header, ...data] = records;
    if (!header) throw badRequest('The CSV is empty; it needs a header row.', [{ field: '(body)', message: 'no header row' }]);
    const names = header.map((h) => h.trim());
    const headerErrors = checkHeader(names);
    if (headerErrors.length) throw badRequest('The CSV header has unknown or missing columns.', headerErrors);
    if (data.length > max) throw new HttpError(413, 'Payload too large', `At most ${max} rows per import; got ${data.length}.`);
    const rows = await mapYielding(
      data,
      (cells, i) => {
        const rec: Record<string, string> = {};
        names.forEach((n, j) => (rec[n] = csvUnquoteCell(cells[j] ?? '')));
        const { input, errors } = csvRowToInput(rec, org);
        return { row: i + 1, input, errors };
      },
      YIELD_ROWS,
    );
    return { rows, csv: true };
  }

  async importCameras(actor: Actor, source: ImportSource, partial: boolean): Promise<ImportReport> {
    assertStaff(actor.user, 'import cameras');
    const { rows, csv } = await this.prepare(source);
    const org = await this.deps.org.index();
    const errors: RowError[] = [];
    const check = (r: { row: number; input: unknown; errors: FieldError[] }): repository.NewCameraRow | null => {
      const parsed = CameraInputSchema.safeParse(r.input);
      const rowErrors = [...r.errors];
      if (!parsed.success) rowErrors.push(...fieldErrors(parsed.error).map((e) => (csv ? { ...e, field: csvField(e.field) } : e)));
      else rowErrors.push(...this.writeErrors(actor.user, parsed.data).map((e) => (csv ? { ...e, field: csvField(e.field) } : e)), ...orgRefErrors(parsed.data, org));
      if (!rowErrors.length) return newRow(parsed.data!, actor.user, this.deps.keyring);
      // Keep the first error per field; a 10,000-row file of bad rows stays readable.
      const seen = new Set<string>();
      for (const e of rowErrors) if (!seen.has(e.field) && seen.add(e.field)) errors.push({ row: r.row, ...e });
      return null;
    };
    const { created, failed } = await this.db.transaction(async (tx) => {
      // A batch is written while the next one is checked: node's checking and the database's
      // inserting overlap instead of taking turns. Once a row fails (and partial is off), nothing
      // more is written, every row is still checked for the report, and the transaction rolls back.
      const out: string[] = [];
      let writing: Promise<void> = Promise.resolve();
      let written = 0;
      for (let i = 0; i < rows.length; i += IMPORT_BATCH) {
        const batch = (await mapYielding(rows.slice(i, i + IMPORT_BATCH), check, YIELD_ROWS)).filter((v) => v !== null);
        await writing;
        if ((errors.length && !partial) || !batch.length) continue;
        writing = this.repo.insertCamerasBulk(tx, batch, written).then((ids) => void out.push(...ids));
        writing.catch(() => undefined); // awaited above or below; a failure meanwhile must not go unhandled
        written += batch.length;
      }
      await writing;
      const failed = new Set(errors.map((e) => e.row)).size;
      if (failed && !partial) {
        throw unprocessable(`${failed} of ${rows.length} rows are invalid; nothing was imported (use partial=true to import the valid rows).`, undefined, {
          created: 0,
          failed,
          errors,
        });
      }
      await this.recordAudit(tx, actor.audit, {
        action: 'camera.import',
        targetType: 'camera',
        details: { format: source.format, rows: rows.length, created: out.length, failed, partial },
      });
      return { created: out, failed };
    });
    // One event for the whole import (consoles reload their lists, server/start.ts refreshes the
    // planner's statistics), not one per row.
    if (created.length) this.deps.ctx.bus.publish('cameras:imported', { ids: created });
    return { created: created.length, failed, errors };
  }

  /**
   * Export records (no credentials) for every camera matching the filter, a page at a time. The
   * next page is asked for before this one is handed on, so the database (on PGlite a thread of
   * its own) reads it while the caller writes this one as CSV: the two overlap instead of taking
   * turns.
   */
  async *exportPages(user: AuthUser, filter: CameraFilter): AsyncGenerator<Array<Record<string, string>>> {
    assertNotMerchant(user, 'export the registry');
    const org = await this.deps.org.index();
    const radius = filter.radius !== undefined;
    const read = (after?: Cursor) => {
      const page = this.repo.listExportRows(this.db, filter, scopeOf(user), EXPORT_PAGE, after);
      page.catch(() => undefined); // a page read ahead for a reader that left must not go unhandled
      return page;
    };
    let next = read();
    for (;;) {
      const rows = await next;
      const last = rows[rows.length - 1];
      const more = rows.length === EXPORT_PAGE && last !== undefined;
      if (more) next = read(radius ? { k: 'd', d: last.distance!, id: last.id } : { k: 'c', t: last.sortTs, id: last.id });
      yield rows.map((r) => {
        const owner = r.ownerName !== null || r.ownerPhone !== null ? { name: r.ownerName, phone: r.ownerPhone } : null;
        return cameraToCsvRow({ ...r, location: { lat: r.lat, lon: r.lon, address: r.address }, owner }, org);
      });
      if (!more) return;
    }
  }
}

export { EXPORT_COLUMNS };
