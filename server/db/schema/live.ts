import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** RTMP push stream keys (migration 0006_live): one SHA-256 per camera, never the key. */
export const cameraPushKeys = pgTable('camera_push_keys', {
  cameraId: uuid('camera_id').primaryKey(),
  keyHash: text('key_hash').notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
