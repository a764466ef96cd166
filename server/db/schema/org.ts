import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const stations = pgTable('stations', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const policeRooms = pgTable('police_rooms', {
  id: uuid('id').primaryKey().defaultRandom(),
  stationId: uuid('station_id').notNull(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull().default(''),
});

export const patrolAreas = pgTable('patrol_areas', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull().default(''),
});

export const patrolZones = pgTable('patrol_zones', {
  id: uuid('id').primaryKey().defaultRandom(),
  areaId: uuid('area_id').notNull(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull().default(''),
});

export const grids = pgTable('grids', {
  id: uuid('id').primaryKey().defaultRandom(),
  stationId: uuid('station_id'),
  policeRoomId: uuid('police_room_id'),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull().default(''),
});
