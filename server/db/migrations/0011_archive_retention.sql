-- Archive retention deletes a segment's row (leaving a chain tombstone) in one transaction, then
-- its object; a tombstone whose object is not deleted yet is retried on the next pass.
ALTER TABLE recording_chain_tombstones ADD COLUMN object_key text;
ALTER TABLE recording_chain_tombstones ADD COLUMN object_deleted_at timestamptz;
CREATE INDEX recording_chain_tombstones_pending_idx ON recording_chain_tombstones (deleted_at) WHERE object_key IS NOT NULL AND object_deleted_at IS NULL;
