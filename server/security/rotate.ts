/**
 * Re-encrypts stored camera credentials whose envelope was sealed with a key other than the
 * keyring's primary one. Run after prepending a new key; afterwards the old key can be dropped.
 * Each camera commits on its own, with its audit entry; an envelope that no key opens is counted
 * and left as is. The SQL is the cameras repository's.
 */
import { recordAudit } from '@server/audit/audit-repository';
import { credentialsNotUnder, replaceSealedCredentials } from '@server/cameras/repository';
import type { Database } from '@server/db/database';
import type { Keyring } from './keyring';

export interface RotationReport {
  scanned: number;
  rotated: number;
  failed: number;
}

const ROTATION = { actorId: null, actorName: 'credential key rotation', actorRole: 'system', ip: null, requestId: null };

export async function rotateCredentials(database: Database, keyring: Keyring, batchSize = 500): Promise<RotationReport> {
  const report: RotationReport = { scanned: 0, rotated: 0, failed: 0 };
  const failedIds: string[] = [];
  for (;;) {
    const rows = await credentialsNotUnder(database.db, keyring.primaryKid, failedIds, batchSize);
    if (!rows.length) return report;
    for (const row of rows) {
      report.scanned++;
      let sealed: string;
      try {
        sealed = keyring.encrypt(keyring.decrypt(row.sealed));
      } catch {
        report.failed++;
        failedIds.push(row.id);
        continue;
      }
      // Only replace the exact envelope read, so a concurrent credential change wins.
      const done = await database.db.transaction(async (tx) => {
        if (!(await replaceSealedCredentials(tx, row.id, sealed, row.sealed))) return false;
        await recordAudit(tx, ROTATION, { action: 'camera.credentials.reseal', targetType: 'camera', targetId: row.id, details: { kid: keyring.primaryKid } });
        return true;
      });
      if (done) report.rotated++;
    }
  }
}
