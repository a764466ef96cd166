/**
 * Capped ring of ffmpeg stderr lines (by count and bytes), scrubbed of credentials on entry,
 * dumped to the log when an attempt crashes. A kind of line (the same text with its numbers and
 * addresses blanked) is kept KEEP_PER_KIND times and after that only counted, with a summary line
 * every REPEAT_SUMMARY_EVERY: a warning that ffmpeg repeats for every packet would otherwise cost
 * node a scrub per line and push everything that explains a crash out of the ring.
 */
import { redact } from './redact';

export const KEEP_PER_KIND = 3;
export const REPEAT_SUMMARY_EVERY = 1000;
/** Kinds remembered at a time; the least recently seen is forgotten first. */
const KINDS = 64;

export class StderrRing {
  private lines: string[] = [];
  private bytes = 0;
  private partial = '';
  private readonly kinds = new Map<string, number>();

  constructor(
    private readonly maxLines = 200,
    private readonly maxBytes = 64 * 1024,
    private readonly secrets: readonly string[] = [],
  ) {}

  /** Feeds a raw stderr chunk; returns the lines it kept (already scrubbed). */
  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const parts = text.split(/\r\n|\n|\r/);
    this.partial = parts.pop() ?? '';
    if (this.partial.length > 4096) {
      parts.push(this.partial);
      this.partial = '';
    }
    const added: string[] = [];
    for (const raw of parts) {
      if (raw.trim() === '') continue;
      const cut = raw.length > 2048 ? raw.slice(0, 2048) + '…' : raw;
      const seen = this.count(cut);
      if (seen > KEEP_PER_KIND && seen % REPEAT_SUMMARY_EVERY !== 0) continue;
      const line = redact(seen > KEEP_PER_KIND ? `(seen ${seen} times) ${cut}` : cut, this.secrets);
      this.lines.push(line);
      this.bytes += Buffer.byteLength(line);
      added.push(line);
    }
    while (this.lines.length > this.maxLines || (this.bytes > this.maxBytes && this.lines.length > 1)) {
      this.bytes -= Buffer.byteLength(this.lines.shift()!);
    }
    return added;
  }

  /** How many lines of this one's kind have come so far, this one included. */
  private count(line: string): number {
    const kind = line.slice(0, 300).replace(/0x[0-9a-f]+|\d+/gi, '#');
    const n = (this.kinds.get(kind) ?? 0) + 1;
    this.kinds.delete(kind); // re-inserted last: the map's order is least recently seen first
    this.kinds.set(kind, n);
    if (this.kinds.size > KINDS) this.kinds.delete(this.kinds.keys().next().value!);
    return n;
  }

  /** Flushes an unterminated last line (call on exit). */
  end(): void {
    if (this.partial) {
      const p = this.partial;
      this.partial = '';
      this.push(p + '\n');
    }
  }

  tail(n = this.maxLines): string[] {
    return this.lines.slice(-n);
  }
}
