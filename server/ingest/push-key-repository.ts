/**
 * Push stream keys in the database: the API rotates them, the media server checks them on
 * every publish (no cache, so a rotation takes effect on the next connect on any machine).
 * The only owner of camera_push_keys; implements the media server's PushKeyLookup port.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '@server/db/database';
import { cameraPushKeys } from '@server/db/schema/live';
import { generateStreamKey, hashStreamKey, verifyStreamKey } from '@workers/rtmp/stream-keys';
import type { PushKeyLookup } from '@workers/rtmp/push-keys';
import { UUID } from '@common/uuid';


export class PushKeyRepository implements PushKeyLookup {
  /** `db` is the database handle or a transaction (rotate inside the caller's audit transaction). */
  constructor(private readonly db: Db) {}

  /** Issues a new key for the camera, replacing (invalidating) any previous one; returns it once. */
  async rotate(cameraId: string, createdBy: string | null): Promise<string> {
    const key = generateStreamKey();
    const keyHash = hashStreamKey(cameraId, key);
    await this.db
      .insert(cameraPushKeys)
      .values({ cameraId, keyHash, createdBy })
      .onConflictDoUpdate({ target: cameraPushKeys.cameraId, set: { keyHash, createdBy, createdAt: new Date() } });
    return key;
  }

  async hasKey(cameraId: string): Promise<boolean> {
    if (!UUID.test(cameraId)) return false;
    const rows = await this.db.select({ id: cameraPushKeys.cameraId }).from(cameraPushKeys).where(eq(cameraPushKeys.cameraId, cameraId));
    return rows.length > 0;
  }

  async verify(cameraId: string, key: string | undefined): Promise<boolean> {
    if (!key || !UUID.test(cameraId)) return false;
    const rows = await this.db.select({ keyHash: cameraPushKeys.keyHash }).from(cameraPushKeys).where(eq(cameraPushKeys.cameraId, cameraId));
    return verifyStreamKey(cameraId, key, rows[0]?.keyHash);
  }

  async revoke(cameraId: string): Promise<void> {
    if (!UUID.test(cameraId)) return;
    await this.db.delete(cameraPushKeys).where(eq(cameraPushKeys.cameraId, cameraId));
  }
}
