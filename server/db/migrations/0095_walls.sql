-- Saved video walls (issue 12): a named layout + mode + camera per slot, owned by one user; a
-- shared wall is seen by the staff of its station (server/walls). Cameras are a JSON array of
-- camera ids or null (an empty tile), at most 25 (the largest layout).
CREATE TABLE walls (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name text NOT NULL,
  layout integer NOT NULL,
  mode text NOT NULL,
  cameras jsonb NOT NULL DEFAULT '[]'::jsonb,
  shared boolean NOT NULL DEFAULT false,
  station_id uuid REFERENCES stations(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CONSTRAINT walls_name_length CHECK (char_length(name) BETWEEN 1 AND 80),
  CONSTRAINT walls_layout_known CHECK (layout IN (1, 4, 6, 8, 9, 16, 25)),
  CONSTRAINT walls_mode_known CHECK (mode IN ('ll', 'hls')),
  CONSTRAINT walls_cameras_array CHECK (jsonb_typeof(cameras) = 'array' AND jsonb_array_length(cameras) <= 25),
  CONSTRAINT walls_shared_has_station CHECK (NOT shared OR station_id IS NOT NULL)
);
-- One name per owner (case-insensitive): the check and the insert are one statement.
CREATE UNIQUE INDEX walls_owner_name ON walls (owner_user_id, lower(name));
CREATE INDEX walls_shared_station ON walls (station_id) WHERE shared;
