/**
 * Resolved sessions kept in memory, so an authenticated request does not wait on a database round
 * trip for its session: on the 2-core bench machine that round trip was a third of the CPU behind
 * a camera list answer and most of a camera by id (docs/benchmarks.md, "Control plane at county scale").
 *
 * Revocation stays immediate:
 * - in this process, sign-out, a password change, a role change, disabling or deleting a user
 *   forget the entries concerned before the answer leaves ('auth:session-ended' on the bus);
 * - every process sharing the database hears of any change to a session or user row at commit,
 *   whoever made it (triggers NOTIFY `skyeye_sessions`, migration 0111);
 * - entries are served only while that LISTEN connection is up: it is emptied and unused when the
 *   connection drops, and emptied again when it is back (notices may have been missed meanwhile);
 * - an expired session is never served, an entry is read again after `maxAgeMs` whatever happened,
 *   and a lookup that began before an invalidation does not store its (possibly stale) answer.
 */
import type { Database } from '@server/db/database';
import type { SessionUser } from './session-repository';

export const SESSION_CHANNEL = 'skyeye_sessions';

export interface SessionCacheOptions {
  /** An entry older than this is read from the database again (default 10 s). */
  maxAgeMs?: number;
  /** Most sessions kept; the oldest go first (default 10,000). */
  maxEntries?: number;
}

export class SessionCache {
  private readonly entries = new Map<string, { session: SessionUser; at: number }>();
  private readonly maxAgeMs: number;
  private readonly maxEntries: number;
  /** Off until the change feed is listening (and while it is down). */
  private armed = false;
  /** Bumped by every invalidation: a lookup that saw another value may not store its answer. */
  private epoch = 0;

  constructor(o: SessionCacheOptions = {}) {
    this.maxAgeMs = o.maxAgeMs ?? 10_000;
    this.maxEntries = o.maxEntries ?? 10_000;
  }

  /** The session with this id if it is kept, fresh and not expired at `now` (ms); else null: ask the database. */
  get(id: string, now: number): SessionUser | null {
    if (!this.armed) return null;
    const e = this.entries.get(id);
    if (!e) return null;
    if (now - e.at > this.maxAgeMs || e.session.expiresAt.getTime() <= now) {
      this.entries.delete(id);
      return null;
    }
    return e.session;
  }

  /** Taken before a database lookup and handed to put() with its answer. */
  ticket(): number {
    return this.epoch;
  }

  /** Keeps a session read from the database, unless something was invalidated since `ticket`. */
  put(session: SessionUser, ticket: number, now: number): void {
    if (!this.armed || ticket !== this.epoch) return;
    this.entries.delete(session.sessionId);
    this.entries.set(session.sessionId, { session, at: now });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Replaces a kept session's copy (its last_seen_at was touched), keeping its age. */
  update(session: SessionUser): void {
    const e = this.entries.get(session.sessionId);
    if (e) e.session = session;
  }

  forgetSession(id: string): void {
    this.epoch++;
    this.entries.delete(id);
  }

  forgetUser(userId: string): void {
    this.epoch++;
    for (const [id, e] of this.entries) if (e.session.userId === userId) this.entries.delete(id);
  }

  /** Forgets a session, or every session of a user (the shape of 'auth:session-ended'). */
  forget(who: { sessionId?: string; userId?: string }): void {
    if (who.sessionId !== undefined) this.forgetSession(who.sessionId);
    if (who.userId !== undefined) this.forgetUser(who.userId);
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  /** A notice from the triggers: 's:<session id>', 'u:<user id>' or '*'. Anything else forgets everything. */
  apply(payload: string): void {
    if (payload.startsWith('s:')) this.forgetSession(payload.slice(2));
    else if (payload.startsWith('u:')) this.forgetUser(payload.slice(2));
    else this.clear();
  }

  /** Serving from memory on (the feed is listening) or off (it is not: every lookup reads the database). */
  setArmed(on: boolean): void {
    this.clear();
    this.armed = on;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Follows the triggers' notices for `cache`, arming it while the LISTEN connection is up. */
export async function followSessionChanges(database: Pick<Database, 'listen'>, cache: SessionCache, log: { warn(obj: object, msg: string): void }): Promise<{ stop(): Promise<void> }> {
  let up = true;
  const unlisten = await database.listen(SESSION_CHANNEL, {
    onMessage: (payload) => cache.apply(payload),
    onError: (err) => {
      up = false;
      cache.setArmed(false);
      log.warn({ err }, 'session change feed: connection lost; sessions are read from the database until it is back');
    },
    onReconnect: () => {
      up = true;
      cache.setArmed(true);
    },
  });
  if (up) cache.setArmed(true);
  return {
    async stop() {
      cache.setArmed(false);
      await unlisten();
    },
  };
}
