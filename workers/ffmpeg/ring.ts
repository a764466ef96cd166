/**
 * Capped ring of ffmpeg stderr lines (by count and bytes), scrubbed of credentials on entry,
 * dumped to the log when an attempt crashes.
 */
import { redact } from './redact';

export class StderrRing {
  private lines: string[] = [];
  private bytes = 0;
  private partial = '';

  constructor(
    private readonly maxLines = 200,
    private readonly maxBytes = 64 * 1024,
    private readonly secrets: readonly string[] = [],
  ) {}

  /** Feeds a raw stderr chunk; returns the complete lines it produced (already scrubbed). */
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
      const line = redact(raw.length > 2048 ? raw.slice(0, 2048) + '…' : raw, this.secrets);
      this.lines.push(line);
      this.bytes += Buffer.byteLength(line);
      added.push(line);
    }
    while (this.lines.length > this.maxLines || (this.bytes > this.maxBytes && this.lines.length > 1)) {
      this.bytes -= Buffer.byteLength(this.lines.shift()!);
    }
    return added;
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
