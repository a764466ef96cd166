-- Password-guess limiting (sign-in and password change), replacing login_failures: one row per
-- key ("user:<name>", "ip:<address>") counting attempts in a fixed window. Every attempt is counted
-- by one atomic upsert BEFORE the password is checked, so parallel guesses cannot all read a count
-- that is still below the limit. A correct password clears its user row and gives back its slot.
CREATE TABLE auth_attempts (
  key text PRIMARY KEY,
  attempts integer NOT NULL,
  window_start timestamptz NOT NULL
);
CREATE INDEX auth_attempts_window_idx ON auth_attempts (window_start);
DROP TABLE login_failures;
