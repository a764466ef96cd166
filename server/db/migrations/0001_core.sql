-- Core schema: organisation (stations, police rooms, patrol areas/zones, grids), users and
-- sessions, cameras with their status history, and the append-only audit log.

CREATE TABLE stations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE police_rooms (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id uuid NOT NULL REFERENCES stations(id) ON DELETE RESTRICT,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  name_en text NOT NULL DEFAULT ''
);

CREATE TABLE patrol_areas (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  name_en text NOT NULL DEFAULT ''
);

CREATE TABLE patrol_zones (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  area_id uuid NOT NULL REFERENCES patrol_areas(id) ON DELETE RESTRICT,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  name_en text NOT NULL DEFAULT ''
);

CREATE TABLE grids (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  station_id uuid REFERENCES stations(id) ON DELETE RESTRICT,
  police_room_id uuid REFERENCES police_rooms(id) ON DELETE RESTRICT,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  name_en text NOT NULL DEFAULT ''
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL UNIQUE,
  display_name text NOT NULL DEFAULT '',
  role text NOT NULL CHECK (role IN ('admin', 'operator', 'investigator', 'merchant')),
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);

-- A session is a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE cameras (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('road', 'household', 'shopfront')),
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  address text,
  station_id uuid REFERENCES stations(id) ON DELETE SET NULL,
  police_room_id uuid REFERENCES police_rooms(id) ON DELETE SET NULL,
  patrol_zone_id uuid REFERENCES patrol_zones(id) ON DELETE SET NULL,
  grid_id uuid REFERENCES grids(id) ON DELETE SET NULL,
  owner_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
  owner_name text,
  owner_phone text,
  onvif_url text,
  rtsp_url text,
  rtsp_sub_url text,
  transport text NOT NULL DEFAULT 'tcp' CHECK (transport IN ('tcp', 'udp')),
  credentials_username text,
  -- AES-256-GCM envelope {kid, iv, tag, ct} of the password; never returned by the API.
  credentials_secret text,
  tags text[] NOT NULL DEFAULT '{}',
  enrollment_state text NOT NULL DEFAULT 'pending'
    CHECK (enrollment_state IN ('pending', 'approved', 'rejected', 'suspended')),
  enrollment_reason text,
  consent_at timestamptz,
  recording_mode text NOT NULL DEFAULT 'continuous' CHECK (recording_mode IN ('continuous', 'off')),
  retention_days integer NOT NULL DEFAULT 30 CHECK (retention_days BETWEEN 1 AND 3650),
  status text NOT NULL DEFAULT 'unknown',
  status_cause text,
  status_changed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX cameras_lat_lon_idx ON cameras (lat, lon);
CREATE INDEX cameras_kind_idx ON cameras (kind);
CREATE INDEX cameras_status_idx ON cameras (status);
CREATE INDEX cameras_station_idx ON cameras (station_id);
CREATE INDEX cameras_zone_idx ON cameras (patrol_zone_id);
CREATE INDEX cameras_owner_idx ON cameras (owner_user_id);
CREATE INDEX cameras_created_idx ON cameras (created_at, id);
CREATE INDEX cameras_tags_idx ON cameras USING gin (tags);

CREATE TABLE camera_status_history (
  id bigserial PRIMARY KEY,
  camera_id uuid NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
  status text NOT NULL,
  cause text,
  worker_id text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX camera_status_history_camera_idx ON camera_status_history (camera_id, at);

-- Append-only: written in the same transaction as the change it records.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_id uuid,
  actor_name text,
  actor_role text,
  action text NOT NULL,
  target_type text,
  target_id text,
  ip text,
  request_id text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
