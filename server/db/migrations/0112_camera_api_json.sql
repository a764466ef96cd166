-- A camera as the API shows it to staff (server/cameras/mapper.ts toCamera, without distanceMeters),
-- kept as JSON text in the row itself, written by the database whenever the row is inserted or
-- updated (any writer: the API, an import, a status change, psql). The list and a camera by id
-- then send these texts as they are: building 51 JSON objects per page at read time was most of the
-- database's work for a list answer (issue 13: ~3,100 pages a second of the database alone on the
-- 2-core machine, ~10,700 reading the stored texts). Timestamps as Date.prototype.toISOString
-- writes them. test/integration/cameras/list-json.test.ts holds every field equal to toCamera's;
-- a change of the camera's API shape changes this function in a new migration (and refreshes it).
ALTER TABLE cameras ADD COLUMN api_json text;

-- The API's camera as a row type (its field names are the JSON keys, in toCamera's order):
-- row_to_json of one ROW(...) is a single expression, which PL/pgSQL evaluates on its fast path,
-- and about a third cheaper than json_build_object of the same 26 pairs (which looks up every
-- argument's type on every call): this is what a 100,000-camera import pays per row.
CREATE TYPE skyeye_camera_api AS (
  "id" uuid, "name" text, "kind" text, "location" json, "stationId" uuid, "policeRoomId" uuid, "patrolZoneId" uuid, "gridId" uuid,
  "owner" json, "onvifUrl" text, "rtspUrl" text, "rtspSubUrl" text, "transport" text, "liveVideo" text, "credentials" json,
  "allowBasicAuth" boolean, "tags" text[], "enrollmentState" text, "enrollmentReason" text, "recording" json, "status" text,
  "statusCause" text, "statusChangedAt" text, "createdAt" text, "updatedAt" text, "version" integer
);

CREATE FUNCTION skyeye_camera_api_json() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.api_json := row_to_json(ROW(
    NEW.id, NEW.name, NEW.kind,
    json_build_object('lat', NEW.lat, 'lon', NEW.lon, 'address', NEW.address, 'coordSystem', 'wgs84'),
    NEW.station_id, NEW.police_room_id, NEW.patrol_zone_id, NEW.grid_id,
    CASE WHEN NEW.owner_name IS NOT NULL OR NEW.owner_phone IS NOT NULL OR NEW.owner_user_id IS NOT NULL
      THEN json_build_object('name', NEW.owner_name, 'phone', NEW.owner_phone, 'userId', NEW.owner_user_id) END,
    NEW.onvif_url, NEW.rtsp_url, NEW.rtsp_sub_url, NEW.transport, NEW.live_video,
    CASE WHEN NEW.credentials_username IS NOT NULL THEN json_build_object('username', NEW.credentials_username) END,
    NEW.allow_basic_auth, NEW.tags, NEW.enrollment_state, NEW.enrollment_reason,
    json_build_object('mode', NEW.recording_mode, 'retentionDays', NEW.retention_days),
    NEW.status, NEW.status_cause,
    to_char(NEW.status_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    to_char(NEW.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    to_char(NEW.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    NEW.version)::skyeye_camera_api)::text;
  RETURN NEW;
END $$;

CREATE TRIGGER cameras_api_json BEFORE INSERT OR UPDATE ON cameras
  FOR EACH ROW EXECUTE FUNCTION skyeye_camera_api_json();

UPDATE cameras SET api_json = NULL;

ALTER TABLE cameras ALTER COLUMN api_json SET NOT NULL;
