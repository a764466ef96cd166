/**
 * A minimal HTTP-FLV player: connects (retrying until the stream exists), parses tags and records
 * the arrival time of every video tag. Enough to time first frames and live edges.
 */
import http from 'node:http';

export class FlvReader {
  readonly videoArrivals: number[] = [];
  private req: http.ClientRequest | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(private readonly url: string) {}

  start(): this {
    this.connect();
    return this;
  }

  get firstVideoAt(): number | null {
    return this.videoArrivals[0] ?? null;
  }

  /** Arrival of the first video tag strictly after t. */
  firstVideoAfter(t: number): number | undefined {
    return this.videoArrivals.find((a) => a > t);
  }

  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.req?.destroy();
  }

  private again(): void {
    if (this.closed) return;
    this.retry = setTimeout(() => this.connect(), 100);
  }

  private connect(): void {
    let buf: Buffer = Buffer.alloc(0);
    let headerDone = false;
    const req = http.get(this.url, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        this.again();
        return;
      }
      res.on('data', (chunk: Buffer) => {
        const at = Date.now();
        buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
        if (!headerDone) {
          if (buf.length < 13) return;
          headerDone = true;
          buf = buf.subarray(13); // 9-byte header + PreviousTagSize0
        }
        while (buf.length >= 11) {
          const size = buf.readUIntBE(1, 3);
          if (buf.length < 11 + size + 4) break;
          // video tag carrying a frame (for AVC: AVCPacketType 1, not the sequence header)
          if ((buf[0]! & 0x1f) === 9 && ((buf[11]! & 0x0f) !== 7 || buf[12] === 1)) this.videoArrivals.push(at);
          buf = buf.subarray(11 + size + 4);
        }
      });
      res.on('end', () => this.again());
      res.on('error', () => this.again());
    });
    req.on('error', () => this.again());
    this.req = req;
  }
}
