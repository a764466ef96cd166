-- recording_segments_camera_time_idx (0005) has the columns of the unique constraint
-- recording_segments_camera_start_key (0010), which is an index of its own: one of them is enough.
-- Every segment insert (83/s for a county of 5,000 cameras, docs/scaling.md) maintained both.
DROP INDEX IF EXISTS recording_segments_camera_time_idx;
