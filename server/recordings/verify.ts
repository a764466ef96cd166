/**
 * Integrity check of a camera's recordings over a time range, trusting neither the store nor the
 * index: every archived object is read back and hashed against its row; every row's prev_sha256
 * must be the sha256 of the row before it in the camera's chain (or of its retention tombstone).
 * Reports missing objects, altered objects and rows out of chain (a row deleted, edited or forged).
 */
import type { Database } from '@server/db/database';
import { hashStream } from '@workers/uploader/verify';
import type { Readable } from 'node:stream';
import { SEGMENT_COLUMNS, toSegment, type RecordingSegment } from './rows';

export interface VerifyProblem {
  start: string;
  problem: string;
}

export interface VerifyReport {
  ok: boolean;
  checked: number;
  problems: VerifyProblem[];
}

export interface ObjectReader {
  get(key: string): Promise<Readable>;
}

const isMissing = (e: unknown) => {
  const x = e as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return x.name === 'NoSuchKey' || x.Code === 'NoSuchKey' || x.name === 'NotFound' || x.$metadata?.httpStatusCode === 404;
};

export class RecordingVerifier {
  constructor(
    private readonly database: Database,
    private readonly objects: ObjectReader,
  ) {}

  async verify(cameraId: string, from: Date, to: Date): Promise<VerifyReport> {
    const rows = (
      await this.database.query(
        `SELECT ${SEGMENT_COLUMNS} FROM recording_segments WHERE camera_id = $1 AND started_at < $3 AND ended_at > $2 ORDER BY chain_seq`,
        [cameraId, from.toISOString(), to.toISOString()],
      )
    ).map(toSegment);
    const problems: VerifyProblem[] = [];
    const add = (at: Date, problem: string) => problems.push({ start: at.toISOString(), problem });
    if (rows.length) {
      const seqs = rows.map((r) => r.chainSeq);
      const lo = Math.min(...seqs) - 1;
      const hi = Math.max(...seqs) + 1;
      const links = await this.chainAround(cameraId, lo, hi);
      for (const r of rows) this.checkLink(r, links, add);
      // A row deleted after the last one in range (and not by retention) leaves the head ahead of the chain.
      const [head] = await this.database.query<{ last_seq: string }>(`SELECT last_seq FROM recording_chain_heads WHERE camera_id = $1`, [cameraId]);
      const last = rows[rows.length - 1]!;
      if (head && Number(head.last_seq) > last.chainSeq && !links.has(last.chainSeq + 1)) add(last.end, `out of chain: the segment after this one (chain #${last.chainSeq + 1}) is missing from the index`);
    }
    for (const r of rows) {
      if (r.state !== 'archived') continue;
      try {
        const got = await hashStream(await this.objects.get(r.objectKey));
        if (got.sha256 !== r.sha256 || got.bytes !== r.bytes) add(r.start, `altered: object ${r.objectKey} has ${got.bytes} B sha256 ${got.sha256}, the index says ${r.bytes} B ${r.sha256}`);
      } catch (e) {
        if (!isMissing(e)) throw e;
        add(r.start, `missing: object ${r.objectKey} is not in the archive`);
      }
    }
    const bad = new Set(problems.map((p) => p.start));
    const good = rows.filter((r) => r.state === 'archived' && !bad.has(r.start.toISOString())).map((r) => r.id);
    if (good.length) await this.database.query(`UPDATE recording_segments SET verified_at = now() WHERE id = ANY($1::bigint[])`, [good]);
    problems.sort((a, b) => a.start.localeCompare(b.start));
    return { ok: problems.length === 0, checked: rows.length, problems };
  }

  /** sha256 by chain position in [lo, hi]: live rows and retention tombstones. */
  private async chainAround(cameraId: string, lo: number, hi: number): Promise<Map<number, { sha256: string; tombstone: boolean }>> {
    const rows = await this.database.query<{ seq: string; sha256: string; tomb: boolean }>(
      `SELECT chain_seq AS seq, sha256, false AS tomb FROM recording_segments WHERE camera_id = $1 AND chain_seq BETWEEN $2 AND $3
       UNION ALL SELECT chain_seq, sha256, true FROM recording_chain_tombstones WHERE camera_id = $1 AND chain_seq BETWEEN $2 AND $3`,
      [cameraId, lo, hi],
    );
    return new Map(rows.map((r) => [Number(r.seq), { sha256: r.sha256, tombstone: r.tomb }]));
  }

  private checkLink(r: RecordingSegment, links: Map<number, { sha256: string }>, add: (at: Date, p: string) => void): void {
    if (r.chainSeq === 1) {
      if (r.prevSha256 !== null) add(r.start, 'out of chain: the first segment of the camera names a predecessor');
      return;
    }
    const prev = links.get(r.chainSeq - 1);
    if (!prev) add(r.start, `out of chain: the segment before this one (chain #${r.chainSeq - 1}) is missing from the index`);
    else if (prev.sha256 !== r.prevSha256) add(r.start, `out of chain: prev_sha256 ${r.prevSha256 ?? 'null'} is not the hash of the segment before it (${prev.sha256})`);
  }
}
