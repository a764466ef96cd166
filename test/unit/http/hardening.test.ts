/** Pure hardening helpers: CSV formula neutralising, Origin checks, request ids, safe error logs. */
import { expect } from 'chai';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { csvLines, csvSafeCell, csvUnquoteCell } from '@server/http/csv-safe';
import { allowedOrigins, originAllowed, publicOrigin, WELL_FORMED_REQUEST_ID } from '@server/http/origins';
import { safeErrorSerializer } from '@server/db/errors';
import { CONTROL_CHARS } from '@server/schemas/text';
import { loadConfig } from '@config/load';

describe('hardening helpers', () => {
  it('csvSafeCell quotes every formula start and leaves numbers and text alone; csvUnquoteCell undoes it', () => {
    const table: Array<[string, string]> = [
      ['=1+1', "'=1+1"],
      ['+1+1', "'+1+1"],
      ['-2+3', "'-2+3"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tcmd', "'\tcmd"],
      ['\rcmd', "'\rcmd"],
      ['-12.5', '-12.5'],
      ['+3', '+3'],
      ['1e5', '1e5'],
      ['plain', 'plain'],
      ['', ''],
      ["'quoted", "'quoted"],
    ];
    for (const [cell, out] of table) {
      expect(csvSafeCell(cell), JSON.stringify(cell)).to.equal(out);
      expect(csvUnquoteCell(csvSafeCell(cell)), JSON.stringify(cell)).to.equal(cell);
    }
  });

  it('csvLines writes what csv-stringify writes and csv-parse reads back every cell, quotes, commas, line breaks and formulas included', () => {
    const cells = ['plain', '', 'a,b', 'say "hi"', 'two\nlines', '=cmd()', '-12.5', '浙江省 某某路 8号', "'quoted", ' spaced ', '"', ',', '@x,"y"'];
    const columns = ['a', 'b', 'c'];
    const records = cells.map((c, i) => ({ a: c, b: cells[(i + 1) % cells.length]!, c: String(i) }));
    const text = csvLines(records, columns, true);
    expect(text).to.equal(stringify(records, { header: true, columns, cast: { string: csvSafeCell } }));
    const back = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(back.map((r) => ({ a: csvUnquoteCell(r.a!), b: csvUnquoteCell(r.b!), c: r.c }))).to.deep.equal(records);
    // A carriage return inside a cell is quoted too (csv-stringify leaves it bare, and a reader may take it for a line end).
    expect(csvLines([{ a: 'x\ry' }], ['a'])).to.equal('"x\ry"\n');
    expect(csvLines([], columns, true)).to.equal('a,b,c\n');
  });

  it('originAllowed: configured origins only, else same host; no Origin is not a cross-origin browser request', () => {
    const none = allowedOrigins(loadConfig({ env: {} }).http);
    expect(originAllowed(none, 'http://127.0.0.1:8080', '127.0.0.1:8080')).to.equal(true);
    expect(originAllowed(none, 'http://evil.example', '127.0.0.1:8080')).to.equal(false);
    expect(originAllowed(none, 'null', '127.0.0.1:8080')).to.equal(false);
    expect(originAllowed(none, undefined, '127.0.0.1:8080')).to.equal(true);
    const some = allowedOrigins(loadConfig({ env: { SKYEYE_PUBLIC_URL: 'https://skyeye.example.gov/console/', SKYEYE_ALLOWED_ORIGINS: 'https://wall.example.gov:8443' } }).http);
    expect([...some].sort()).to.deep.equal(['https://skyeye.example.gov', 'https://wall.example.gov:8443']);
    expect(originAllowed(some, 'https://skyeye.example.gov', 'anything')).to.equal(true);
    expect(originAllowed(some, 'https://wall.example.gov', 'wall.example.gov')).to.equal(false);
    expect(originAllowed(some, 'http://skyeye.example.gov', 'skyeye.example.gov')).to.equal(false);
    expect(publicOrigin(loadConfig({ env: { SKYEYE_PUBLIC_URL: 'https://skyeye.example.gov/console/' } }).http)).to.equal('https://skyeye.example.gov/console');
    expect(publicOrigin(loadConfig({ env: {} }).http)).to.equal(null);
  });

  it('request ids: well formed kept, anything else not', () => {
    for (const ok of ['req-abc-1', '0b6f6c1e-3f7a-4c43-9d7e-6a1d2b3c4d5e', 'a'.repeat(64)]) expect(WELL_FORMED_REQUEST_ID.test(ok), ok).to.equal(true);
    for (const bad of ['', 'x', '-abcdefgh', '..', 'a'.repeat(65), 'has space1', 'a\nbcdefghi', '<script>x']) expect(WELL_FORMED_REQUEST_ID.test(bad), bad).to.equal(false);
  });

  it('control characters: C0, DEL and C1 are refused, other text is not', () => {
    for (const c of ['\u0000', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085']) expect(CONTROL_CHARS.test(`a${c}b`), JSON.stringify(c)).to.equal(true);
    for (const t of ['北京路 1 号', 'O\'Brien & Sons', 'émile']) expect(CONTROL_CHARS.test(t), t).to.equal(false);
  });

  it('a failed query serialises without its parameters or PostgreSQL detail', () => {
    const cause = Object.assign(new Error('new row violates check constraint'), { code: '23514', detail: 'Failing row contains (1, bob, scrypt$32768$8$1$salt$hash)' });
    const err = new DrizzleQueryError('insert into "users" ("username", "password_hash") values ($1, $2)', ['bob', 'scrypt$32768$8$1$salt$hash'], cause);
    const out = JSON.stringify(safeErrorSerializer(err));
    expect(out).to.include('insert into \\"users\\"');
    expect(out).to.not.include('scrypt$');
    expect(out).to.not.include('Failing row');
  });
});
