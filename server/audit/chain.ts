/**
 * Verifies audit_log's hash chain (0080_audit_chain_custody.sql): walks the rows in chain order,
 * rebuilds each row's hash from its fields independently of the database's function, and names the
 * first entry that fails: an edited row (its hash no longer matches), a deleted row (a hole in
 * seq, or a chain head past the last row), a re-linked row (prev_hash not the previous hash).
 */
import { createHash } from 'node:crypto';
import type { Database } from '@server/db/database';

export const GENESIS = '0'.repeat(64);

export interface ChainRow {
  seq: string;
  id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  ip: string | null;
  request_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

export type ChainProblem = 'hash_mismatch' | 'prev_hash_mismatch' | 'missing_entries' | 'head_mismatch';

export interface ChainReport {
  ok: boolean;
  /** Entries checked. */
  checked: number;
  /** The first broken entry (null when the chain holds). `id`/`seq` are of the entry where it breaks. */
  firstBroken: { seq: string; id: string | null; problem: ChainProblem; detail: string } | null;
}

const field = (v: string | null) => (v === null ? '~' : `${Buffer.byteLength(v, 'utf8')}:${v}`);

/** The hash a row must carry: the same bytes as audit_chain_hash() in the migration. */
export function entryHash(prev: string, r: Omit<ChainRow, 'prev_hash' | 'hash'>): string {
  const parts = [r.seq, r.id, r.at, r.actor_id, r.actor_name, r.actor_role, r.action, r.target_type, r.target_id, r.ip, r.request_id, r.details];
  return createHash('sha256').update(`${prev}|${parts.map(field).join('|')}`, 'utf8').digest('hex');
}

/** Checks rows in seq order (a pure step, testable without a database). */
export class ChainWalker {
  private expectSeq = 1n;
  private prev = GENESIS;
  checked = 0;
  broken: ChainReport['firstBroken'] = null;

  push(r: ChainRow): boolean {
    if (this.broken) return false;
    this.checked++;
    const seq = BigInt(r.seq);
    if (seq !== this.expectSeq) {
      this.broken = { seq: r.seq, id: r.id, problem: 'missing_entries', detail: `entries ${this.expectSeq}..${seq - 1n} are missing before entry ${r.seq} (id ${r.id})` };
    } else if (r.prev_hash !== this.prev) {
      this.broken = { seq: r.seq, id: r.id, problem: 'prev_hash_mismatch', detail: `entry ${r.seq} (id ${r.id}) does not link to the entry before it` };
    } else if (entryHash(this.prev, r) !== r.hash) {
      this.broken = { seq: r.seq, id: r.id, problem: 'hash_mismatch', detail: `entry ${r.seq} (id ${r.id}, ${r.action}) was changed after it was written` };
    }
    this.expectSeq = seq + 1n;
    this.prev = r.hash;
    return this.broken === null;
  }

  /** After the last row: the head must point at it (else the last entries were deleted). */
  finish(head: { seq: string; hash: string } | null): ChainReport {
    if (!this.broken && head && (BigInt(head.seq) !== this.expectSeq - 1n || head.hash !== this.prev)) {
      this.broken = { seq: head.seq, id: null, problem: 'head_mismatch', detail: `the chain ends at entry ${this.expectSeq - 1n} but its head is entry ${head.seq}: the last entries were deleted` };
    }
    return { ok: this.broken === null, checked: this.checked, firstBroken: this.broken };
  }
}

const PAGE = 2000;

export class AuditChainVerifier {
  constructor(private readonly database: Database) {}

  async verify(): Promise<ChainReport> {
    const walker = new ChainWalker();
    let after = '0';
    for (;;) {
      const rows = await this.database.query<ChainRow>(
        `SELECT seq::text AS seq, id::text AS id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
                actor_id::text AS actor_id, actor_name, actor_role, action, target_type, target_id, ip, request_id,
                details::text AS details, prev_hash, hash
         FROM audit_log a WHERE a.seq > $1::bigint ORDER BY a.seq LIMIT ${PAGE}`,
        [after],
      );
      for (const r of rows) if (!walker.push(r)) return walker.finish(null);
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.seq;
    }
    const [head] = await this.database.query<{ seq: string; hash: string }>(`SELECT seq::text AS seq, hash FROM audit_chain_head`);
    return walker.finish(head ?? null);
  }
}
