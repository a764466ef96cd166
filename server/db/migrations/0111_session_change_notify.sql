-- Every process that keeps resolved sessions in memory (server/auth/session-cache.ts) hears, at
-- commit, of any change that could end or alter one, whoever made it (this code, another process,
-- an operator's psql): a session deleted or changed ('s:' and its id, the token's hash), a user
-- changed or deleted ('u:' and the user id; a deleted user's sessions also go by the cascade), or
-- either table truncated ('*': forget everything). Touching last_seen_at is not a change.
CREATE FUNCTION skyeye_sessions_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('skyeye_sessions', '*');
  ELSIF TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('skyeye_sessions', 'u:' || OLD.id::text);
  ELSE
    PERFORM pg_notify('skyeye_sessions', 's:' || OLD.id);
  END IF;
  RETURN NULL;
END $$;

-- Sessions already expired are never served from memory: their deletion (the periodic prune) says nothing.
CREATE TRIGGER sessions_deleted_notify AFTER DELETE ON sessions
  FOR EACH ROW WHEN (OLD.expires_at > now()) EXECUTE FUNCTION skyeye_sessions_changed();
CREATE TRIGGER sessions_changed_notify AFTER UPDATE OF id, user_id, csrf_token, expires_at ON sessions
  FOR EACH ROW EXECUTE FUNCTION skyeye_sessions_changed();
CREATE TRIGGER sessions_truncated_notify AFTER TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION skyeye_sessions_changed();
CREATE TRIGGER users_changed_notify AFTER UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION skyeye_sessions_changed();
CREATE TRIGGER users_truncated_notify AFTER TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION skyeye_sessions_changed();
