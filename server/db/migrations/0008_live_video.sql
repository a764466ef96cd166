-- Per-camera live video handling: 'copy' (default) passes the camera's video through; 'h264'
-- transcodes the live outputs (HLS, FLV) for browsers that can't play the camera's codec, e.g.
-- H.265. Recording always copies.
ALTER TABLE cameras ADD COLUMN live_video text NOT NULL DEFAULT 'copy' CHECK (live_video IN ('copy', 'h264'));
