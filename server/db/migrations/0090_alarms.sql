-- Alarms (server/alarms): a camera down for longer than alarms.after, or a recording gap from the
-- continuity ledger. One row per outage: `since` is when it began, `family` separates camera-status
-- outages from recording gaps. At most one unresolved alarm per camera and family (raise is an
-- INSERT ... ON CONFLICT DO NOTHING: parallel evaluators and api processes cannot duplicate it),
-- and never two for the same outage (camera, family, since), even after it was resolved.
CREATE TABLE alarms (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  camera_id uuid NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
  family text NOT NULL CHECK (family IN ('status', 'recording')),
  kind text NOT NULL CHECK (kind IN ('offline', 'auth_failed', 'unreachable', 'stalled', 'recording_gap')),
  since timestamptz NOT NULL,
  raised_at timestamptz NOT NULL,
  cause text,
  resolved_at timestamptz,
  acknowledged_at timestamptz,
  acknowledged_by uuid REFERENCES users(id) ON DELETE SET NULL,
  ack_note text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX alarms_one_unresolved ON alarms (camera_id, family) WHERE resolved_at IS NULL;
CREATE UNIQUE INDEX alarms_one_per_outage ON alarms (camera_id, family, since);
CREATE INDEX alarms_unacknowledged ON alarms (raised_at DESC, id) WHERE acknowledged_at IS NULL;
CREATE INDEX alarms_by_raised ON alarms (raised_at DESC, id);

-- The webhook outbox: written in the transaction of the alarm change it reports, delivered in id
-- order by one process at a time (the head row is claimed with a lease), retried with backoff.
CREATE TABLE alarm_outbox (
  id bigserial PRIMARY KEY,
  alarm_id uuid NOT NULL,
  event text NOT NULL CHECK (event IN ('alarm.raised', 'alarm.acknowledged', 'alarm.resolved')),
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_by text,
  claimed_until timestamptz,
  delivered_at timestamptz,
  last_error text
);
CREATE INDEX alarm_outbox_pending ON alarm_outbox (id) WHERE delivered_at IS NULL;
