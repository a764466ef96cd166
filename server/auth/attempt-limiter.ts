/**
 * Limits password guesses (sign-in and password change) per user name and per address, shared by
 * every api process through the database. Each attempt is reserved by one atomic upsert of its
 * counters BEFORE the password is checked, so parallel guesses are counted one by one instead of
 * all reading "below the limit" (check-and-record in one statement, row-locked by the upsert).
 */
import type { Clock } from '@common/clock';
import type { Database } from '@server/db/database';
import { HttpError } from '@server/http/problem';

export interface AttemptLimits {
  /** Attempts one user name gets per window. */
  maxPerUser: number;
  /** Attempts one address gets per window (several people behind one NAT). */
  maxPerIp: number;
  windowMs: number;
}

/** One reserved attempt: `succeeded()` when the password was right, else leave it counted. */
export interface Attempt {
  succeeded(): Promise<void>;
}

export class AttemptLimiter {
  constructor(
    private readonly database: Database,
    private readonly clock: Clock,
    private readonly limits: AttemptLimits,
  ) {}

  /** Counts one attempt for `username` from `ip`; 429 (with retryAfter seconds) when over a limit. */
  async reserve(username: string, ip: string): Promise<Attempt> {
    const now = this.clock.now().getTime();
    // User first, then address: every caller takes the row locks in this order.
    const byUser = await this.bump(`user:${username}`, now);
    const byIp = await this.bump(`ip:${ip}`, now);
    const over = [byUser.attempts > this.limits.maxPerUser ? byUser : null, byIp.attempts > this.limits.maxPerIp ? byIp : null].filter((x) => x !== null);
    if (over.length) {
      const until = Math.max(...over.map((o) => o.windowStart + this.limits.windowMs));
      const retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
      throw new HttpError(429, 'Too many attempts', `Too many wrong passwords; try again in ${retryAfter} s or ask an administrator.`, undefined, { retryAfter });
    }
    return {
      succeeded: async () => {
        await this.database.query('DELETE FROM auth_attempts WHERE key = $1', [`user:${username}`]);
        await this.database.query('UPDATE auth_attempts SET attempts = greatest(attempts - 1, 0) WHERE key = $1', [`ip:${ip}`]);
      },
    };
  }

  /** Expired windows (called now and then; an expired row is also reset by the next attempt). */
  async prune(): Promise<void> {
    await this.database.query('DELETE FROM auth_attempts WHERE window_start <= $1', [new Date(this.clock.now().getTime() - this.limits.windowMs).toISOString()]);
  }

  private async bump(key: string, now: number): Promise<{ attempts: number; windowStart: number }> {
    const [r] = await this.database.query<{ attempts: number; window_start: Date | string }>(
      `INSERT INTO auth_attempts AS a (key, attempts, window_start) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         attempts = CASE WHEN a.window_start <= $3 THEN 1 ELSE a.attempts + 1 END,
         window_start = CASE WHEN a.window_start <= $3 THEN excluded.window_start ELSE a.window_start END
       RETURNING attempts, window_start`,
      [key, new Date(now).toISOString(), new Date(now - this.limits.windowMs).toISOString()],
    );
    return { attempts: Number(r!.attempts), windowStart: new Date(r!.window_start).getTime() };
  }
}
