-- Cameras near a point through an SP-GiST index of (lon, lat) as a point (repository.ts inBox). The
-- btree on (lat, lon) can only range over lat: the box around a 500 m radius among 100,000 cameras in
-- the demo county read ~3,000 index entries of its 1 km band of latitude to find ~90 in the box; this
-- index finds those ~90 directly (issue 13: radius pages; plans.test.ts holds the plan). SP-GiST
-- rather than GiST: as fast to search here, and a third cheaper to keep up on insert (100,000 rows:
-- +190 ms against +270 ms; the btree +55 ms). The btree stays for map boxes, whose size its
-- statistics let the planner judge.
CREATE INDEX IF NOT EXISTS cameras_point_idx ON cameras USING spgist (point(lon, lat));
