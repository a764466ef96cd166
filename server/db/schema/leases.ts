import { bigint, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const ingestWorkers = pgTable('ingest_workers', {
  id: text('id').primaryKey(),
  baseUrl: text('base_url'),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
});

export const cameraLeases = pgTable('camera_leases', {
  cameraId: uuid('camera_id').primaryKey(),
  workerId: text('worker_id').notNull(),
  token: bigint('token', { mode: 'number' }).notNull(),
  acquiredAt: timestamp('acquired_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  /** Set when the holder handed the lease back (0101): expired at once, for others to take. */
  releasedAt: timestamp('released_at', { withTimezone: true }),
});
