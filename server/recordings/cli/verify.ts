/**
 * `npm run verify -- ...`, the integrity checks from the command line (same configuration as the
 * server; on embedded PGlite stop Sky Eye first, its database takes one process):
 *   --camera ID --from T --to T   a camera's archived recordings (as POST /api/v1/integrity/verify)
 *   --audit                       the audit log's hash chain (as GET /api/v1/audit/verify)
 *   --package FILE.zip [--public-key FILE]
 *                                 an evidence export package (as POST /api/v1/evidence/verify);
 *                                 without --public-key: this deployment's key when there is one,
 *                                 else the package's own copy (which proves integrity, not origin)
 * Prints the report as JSON; exit 0 ok, 1 problems, 2 bad usage. Each mode loads only what it
 * needs (a package check opens no database and no S3 client: seconds less per run).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@config/load';
import type { Config } from '@config/schema';
import type { Database } from '@server/db/database';
import { UUID } from '@common/uuid';

const usage = `usage: npm run verify -- --camera <camera id> --from <ISO 8601> --to <ISO 8601>
       npm run verify -- --audit
       npm run verify -- --package <file.zip> [--public-key <file.pem>]`;

const out = (report: unknown) => process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);

function config(): Config | null {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) process.stderr.write(`${e.message}\n`);
    else throw e;
    return null;
  }
}

async function withDatabase(cfg: Config, fn: (database: Database) => Promise<number>): Promise<number> {
  const { openDatabase } = await import('@server/db/database');
  const database = await openDatabase({ url: cfg.database.url, dataDir: cfg.dataDir, poolSize: 2 });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { camera: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, audit: { type: 'boolean' }, package: { type: 'string' }, 'public-key': { type: 'string' } } });
  if (values.package) return (await import('@server/evidence/cli')).verifyPackageCli(values.package, values['public-key'], () => config());
  if (values.audit) {
    const cfg = config();
    if (!cfg) return 2;
    return withDatabase(cfg, async (database) => {
      const { AuditChainVerifier } = await import('@server/audit/chain');
      const report = await new AuditChainVerifier(database).verify();
      out(report);
      if (report.firstBroken) process.stderr.write(`audit chain broken: ${report.firstBroken.detail}\n`);
      return report.ok ? 0 : 1;
    });
  }
  const from = new Date(values.from ?? '');
  const to = new Date(values.to ?? '');
  if (!values.camera || !UUID.test(values.camera) || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const cfg = config();
  if (!cfg) return 2;
  return withDatabase(cfg, async (database) => {
    const [{ openObjectStore }, { RecordingVerifier }] = await Promise.all([import('@server/storage/object-store'), import('../verify')]);
    const objects = await openObjectStore(cfg);
    try {
      const report = await new RecordingVerifier(database, objects).verify(values.camera!, from, to);
      out(report);
      return report.ok ? 0 : 1;
    } finally {
      await objects.close();
    }
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`verify failed: ${(err as Error).message}\n`);
    process.exit(2);
  },
);
