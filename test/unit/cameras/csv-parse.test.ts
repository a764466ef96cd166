/**
 * The import's CSV parse (server/cameras/import.ts parseCsvYielding) feeds the parser 16 KiB at a
 * time and lets the event loop turn in between: the records are those of a one-shot parse, quoted
 * fields that span a slice boundary included, a malformed file still fails with the parser's
 * message, and a 10k-row file lets timers run while it is parsed.
 */
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { parseCsvYielding } from '@server/cameras/import';

const OPTIONS = { bom: true, skip_empty_lines: true, relax_column_count: false, trim: false } as const;

function cameraCsv(rows: number): string {
  const lines = ['name,kind,lat,lon,rtspUrl'];
  // Every 7th name is quoted with a comma, a doubled quote and a line break inside.
  for (let i = 0; i < rows; i++) lines.push(`${i % 7 ? `cam-${i}` : `"cam, ""${i}""\nsecond line"`},road,34.${i},119.${i},rtsp://127.0.0.${i % 250}:554/s`);
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

describe('import CSV parse in slices', () => {
  it('gives the records a one-shot parse gives, across slice boundaries', async () => {
    const text = cameraCsv(3_000);
    expect(text.length).to.be.greaterThan(4 * 16 * 1024);
    expect(await parseCsvYielding(text, OPTIONS)).to.deep.equal(parse(text, OPTIONS));
  });

  it('fails a malformed file with the parser\'s own message', async () => {
    const text = cameraCsv(2_000) + 'bad,"unclosed,road\n' + cameraCsv(10);
    let message = '';
    await parseCsvYielding(text, OPTIONS).catch((e: Error) => (message = e.message));
    expect(message).to.match(/quote|Invalid|Opening/i);
  });

  it('lets the event loop turn while it parses 10,000 rows', async () => {
    let turns = 0;
    const tick = setInterval(() => turns++, 0);
    try {
      const records = await parseCsvYielding(cameraCsv(10_000), OPTIONS);
      expect(records).to.have.length(10_001);
    } finally {
      clearInterval(tick);
    }
    expect(turns, 'timer callbacks while parsing').to.be.greaterThan(10);
  });
});
