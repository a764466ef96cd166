/** Saved wall request/response schemas: the single source for validation and the OpenAPI document. */
import { z } from '@server/schemas/openapi';
import { plainString } from '@server/schemas/text';

/** Tile counts: squares, and 6 = "1+5", 8 = "1+7" (one large tile). */
export const WALL_LAYOUTS = [1, 4, 6, 8, 9, 16, 25] as const;
export const WALL_MODES = ['ll', 'hls'] as const;
export const MAX_WALL_CAMERAS = 25;

const uuid = z.string().uuid();

export const WallInputSchema = z
  .object({
    name: plainString().trim().min(1).max(80),
    layout: z
      .number()
      .int()
      .refine((n) => (WALL_LAYOUTS as readonly number[]).includes(n), { message: `must be one of ${WALL_LAYOUTS.join(', ')}` })
      .openapi({ description: 'Tiles: 1, 4, 9, 16, 25, or 6 (1+5) and 8 (1+7), one large tile' }),
    mode: z.enum(WALL_MODES).openapi({ description: 'll: low latency (FLV over WebSocket); hls' }),
    cameras: z.array(uuid.nullable()).max(MAX_WALL_CAMERAS).openapi({ description: 'Camera id per tile, null for an empty tile' }),
    shared: z.boolean().default(false).openapi({ description: 'Seen (read-only) by the staff of stationId' }),
    stationId: uuid.nullable().default(null).openapi({ description: 'The station a shared wall is shared with (required when shared)' }),
  })
  .strict();

export const WallUpdateSchema = WallInputSchema.extend({ version: z.number().int().min(1) }).strict();

export type WallInput = z.output<typeof WallInputSchema>;
export type WallUpdate = z.output<typeof WallUpdateSchema>;

export const WallSchema = z
  .object({
    id: uuid,
    name: z.string(),
    layout: z.number().int(),
    mode: z.enum(WALL_MODES),
    cameras: z.array(uuid.nullable()).openapi({ description: 'Cameras the reader may not see are null (an empty tile)' }),
    shared: z.boolean(),
    stationId: uuid.nullable(),
    owner: z.object({ id: uuid, name: z.string() }),
    mine: z.boolean(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
    version: z.number().int(),
  })
  .openapi('Wall');

export type Wall = z.infer<typeof WallSchema>;

export const WallListSchema = z.object({ items: z.array(WallSchema) }).openapi('WallList');
