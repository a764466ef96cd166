-- Incidents (警情): a place, a time window and a radius, numbered per station and year
-- (新安派出所-2026-00123), with assigned investigators, cameras added by hand and an append-only
-- history of every change. Users belong to at most one station (user_stations), which decides
-- which incidents investigators and operators see. server/incidents owns every table here.

CREATE TABLE user_stations (
  user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  station_id uuid NOT NULL REFERENCES stations(id) ON DELETE CASCADE,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_stations_station_idx ON user_stations (station_id);

-- One counter per numbering scope (a station id, or '-' for incidents without a station) and year;
-- bumped with INSERT ... ON CONFLICT DO UPDATE inside the creating transaction (row-locked, no
-- duplicates, no holes unless a creation rolls back).
CREATE TABLE incident_counters (
  scope text NOT NULL,
  year integer NOT NULL,
  last integer NOT NULL,
  PRIMARY KEY (scope, year)
);

CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number text NOT NULL UNIQUE,
  station_id uuid REFERENCES stations(id) ON DELETE RESTRICT,
  category text NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'under_investigation', 'closed')),
  from_at timestamptz NOT NULL,
  to_at timestamptz NOT NULL,
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  address text,
  radius_m double precision NOT NULL CHECK (radius_m > 0),
  created_by uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (to_at > from_at)
);
CREATE INDEX incidents_station_idx ON incidents (station_id, created_at);
CREATE INDEX incidents_created_idx ON incidents (created_at, id);
CREATE INDEX incidents_created_by_idx ON incidents (created_by);

CREATE TABLE incident_assignees (
  incident_id uuid NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  assigned_by uuid REFERENCES users(id) ON DELETE SET NULL,
  assigned_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (incident_id, user_id)
);
CREATE INDEX incident_assignees_user_idx ON incident_assignees (user_id);

-- Cameras an investigator added by hand (outside the radius, or to keep one in view).
CREATE TABLE incident_cameras (
  incident_id uuid NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  camera_id uuid NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
  added_by uuid REFERENCES users(id) ON DELETE SET NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (incident_id, camera_id)
);

-- Every change of an incident: who, when, what (field -> {from, to}; assignees/cameras added and
-- removed). Append-only, like audit_log.
CREATE TABLE incident_history (
  id bigserial PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents(id) ON DELETE RESTRICT,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid,
  actor_name text,
  action text NOT NULL,
  changes jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_history_incident_idx ON incident_history (incident_id, id);

CREATE FUNCTION incident_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'incident_history is append-only';
END;
$$;

CREATE TRIGGER incident_history_no_update BEFORE UPDATE OR DELETE ON incident_history
  FOR EACH ROW EXECUTE FUNCTION incident_history_append_only();
