-- Evidence, part one: the audit log becomes hash-chained, and the chain-of-custody log.
--
-- audit_log: every row gets its place in the chain (seq, 1, 2, ...), the hash of the row before it
-- (prev_hash; the first row's is 64 zeros) and its own hash: sha256 over prev_hash and the row's
-- fields, each written as "<octets>:<text>" (or "~" for NULL) and joined by "|" (the same bytes
-- server/audit/chain.ts rebuilds to verify). A BEFORE INSERT trigger fills all three from the
-- chain head (one row), which it locks and updates in the inserting transaction: parallel inserts
-- queue on that row, so the chain stays linear whatever the order of ids; a rolled-back insert
-- rolls the head back with it. Callers write audit rows as before (server/audit).
-- An edited row no longer matches its hash; a deleted row leaves a hole in seq (or, for the last
-- rows, a head that points past the end).

ALTER TABLE audit_log
  ADD COLUMN seq bigint,
  ADD COLUMN prev_hash text CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  ADD COLUMN hash text CHECK (hash ~ '^[0-9a-f]{64}$');

CREATE FUNCTION audit_chain_field(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v IS NULL THEN '~' ELSE octet_length(v)::text || ':' || v END
$$;

CREATE FUNCTION audit_chain_hash(prev text, r audit_log) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(prev || '|' || concat_ws('|',
    audit_chain_field(r.seq::text),
    audit_chain_field(r.id::text),
    audit_chain_field(to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
    audit_chain_field(r.actor_id::text),
    audit_chain_field(r.actor_name),
    audit_chain_field(r.actor_role),
    audit_chain_field(r.action),
    audit_chain_field(r.target_type),
    audit_chain_field(r.target_id),
    audit_chain_field(r.ip),
    audit_chain_field(r.request_id),
    audit_chain_field(r.details::text)), 'UTF8')), 'hex')
$$;

CREATE TABLE audit_chain_head (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  seq bigint NOT NULL,
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);

-- Chain the rows already there, in id order (the no-update trigger is off for this only).
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;
DO $$
DECLARE
  r audit_log;
  n bigint := 0;
  h text := repeat('0', 64);
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    n := n + 1;
    r.seq := n;
    r.prev_hash := h;
    h := audit_chain_hash(h, r);
    UPDATE audit_log SET seq = n, prev_hash = r.prev_hash, hash = h WHERE id = r.id;
  END LOOP;
  INSERT INTO audit_chain_head (id, seq, hash) VALUES (true, n, h);
END;
$$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;

ALTER TABLE audit_log ALTER COLUMN seq SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL;
ALTER TABLE audit_log ALTER COLUMN hash SET NOT NULL;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_seq_key UNIQUE (seq);

CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head audit_chain_head;
BEGIN
  SELECT * INTO head FROM audit_chain_head WHERE id FOR UPDATE;
  NEW.seq := head.seq + 1;
  NEW.prev_hash := head.hash;
  NEW.hash := audit_chain_hash(head.hash, NEW);
  UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash WHERE id;
  RETURN NEW;
END;
$$;

CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

-- Chain of custody: who touched which piece of evidence, when, how, from where. Append-only.
CREATE TABLE custody_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  incident_id text NOT NULL,
  action text NOT NULL CHECK (action IN ('view', 'download', 'export', 'attach', 'verify')),
  item_kind text NOT NULL CHECK (item_kind IN ('clip', 'evidence', 'export')),
  item_id text NOT NULL,
  sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  user_id uuid,
  address text,
  request_id text
);
CREATE INDEX custody_log_incident_idx ON custody_log (incident_id, id);
CREATE INDEX custody_log_item_idx ON custody_log (item_kind, item_id, id);

CREATE FUNCTION custody_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'custody_log is append-only';
END;
$$;

CREATE TRIGGER custody_log_no_update BEFORE UPDATE OR DELETE ON custody_log
  FOR EACH ROW EXECUTE FUNCTION custody_log_append_only();
