/**
 * Re-encrypts stored camera credentials whose envelope was sealed with a key other than the
 * keyring's primary one. Run after prepending a new key; afterwards the old key can be dropped.
 * Each batch commits on its own; an envelope that no key opens is counted, left as is.
 */
import type { Database } from '@server/db/database';
import type { Keyring } from './keyring';

export interface RotationReport {
  scanned: number;
  rotated: number;
  failed: number;
}

export async function rotateCredentials(database: Database, keyring: Keyring, batchSize = 500): Promise<RotationReport> {
  const report: RotationReport = { scanned: 0, rotated: 0, failed: 0 };
  const failedIds: string[] = [];
  for (;;) {
    const rows = await database.query<{ id: string; credentials_secret: string }>(
      `SELECT id, credentials_secret FROM cameras
        WHERE credentials_secret IS NOT NULL
          AND (credentials_secret::jsonb ->> 'kid') IS DISTINCT FROM $1
          AND NOT (id = ANY($2::uuid[]))
        ORDER BY id LIMIT $3`,
      [keyring.primaryKid, failedIds, batchSize],
    );
    if (!rows.length) return report;
    for (const row of rows) {
      report.scanned++;
      let sealed: string;
      try {
        sealed = keyring.encrypt(keyring.decrypt(row.credentials_secret));
      } catch {
        report.failed++;
        failedIds.push(row.id);
        continue;
      }
      // Only replace the exact envelope read, so a concurrent credential change wins.
      const done = await database.query(
        `UPDATE cameras SET credentials_secret = $2 WHERE id = $1 AND credentials_secret = $3 RETURNING id`,
        [row.id, sealed, row.credentials_secret],
      );
      if (done.length) report.rotated++;
    }
  }
}
