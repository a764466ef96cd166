-- Sign-in rate limiting: every failed sign-in is a row, counted per user name and per address in a
-- sliding window; rows older than the window are pruned on the next sign-in. Shared by every api
-- process through the database, so the limit holds behind a load balancer.
CREATE TABLE login_failures (
  id bigserial PRIMARY KEY,
  username text NOT NULL,
  ip text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_username_idx ON login_failures (username, at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);

-- Sessions remember when they were last used, so idle tokens can be told apart from active ones.
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
