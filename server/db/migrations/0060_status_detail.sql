-- Status causes are stable phrases (common/causes.ts, translated by the console); the raw,
-- scrubbed line behind one (ffmpeg stderr without memory addresses, exit code, worker id) is
-- kept here for the status history.
ALTER TABLE camera_status_history ADD COLUMN detail text;
