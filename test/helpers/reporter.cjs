/**
 * Mocha's spec reporter, plus the wall-clock time of every test file (hooks included), written to
 * .tmp/test-files-<pass>.tsv and summarised (the slowest ten) at the end of the run. CI must stay
 * under 30 minutes: this says where the time goes. Plain CommonJS: mocha loads reporters with
 * require(), before tsx is in play.
 */
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const { relative } = require('node:path');
const Mocha = require('mocha');

const { EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_RUN_END } = Mocha.Runner.constants;

class TimedSpec extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    /** file -> [started ms, total ms] */
    const files = new Map();
    runner.on(EVENT_SUITE_BEGIN, (suite) => {
      if (!suite.file || !suite.parent?.root) return;
      const entry = files.get(suite.file) ?? [0, 0];
      entry[0] = Date.now();
      files.set(suite.file, entry);
    });
    runner.on(EVENT_SUITE_END, (suite) => {
      const entry = suite.file && suite.parent?.root ? files.get(suite.file) : undefined;
      if (entry) entry[1] += Date.now() - entry[0];
    });
    runner.once(EVENT_RUN_END, () => {
      const rows = [...files].map(([file, [, ms]]) => [relative(process.cwd(), file), ms]).sort((a, b) => b[1] - a[1]);
      const total = rows.reduce((s, [, ms]) => s + ms, 0);
      const pass = process.env.SKYEYE_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
      try {
        mkdirSync('.tmp', { recursive: true });
        writeFileSync(`.tmp/test-files-${pass}.tsv`, rows.map(([f, ms]) => `${(ms / 1000).toFixed(1)}\t${f}`).join('\n') + '\n');
      } catch {
        /* a read-only checkout: the summary below still prints */
      }
      console.log(`\n  slowest test files (${rows.length} files, ${(total / 60000).toFixed(1)} min in all):`);
      for (const [f, ms] of rows.slice(0, 10)) console.log(`    ${(ms / 1000).toFixed(1).padStart(6)} s  ${f}`);
    });
  }
}

module.exports = TimedSpec;
