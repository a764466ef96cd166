/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof --import tsx bench/run.ts ...`) over a time
 * window: busy time, the top functions by self time, and inclusive time per Sky Eye part (a
 * sample counts for a part when any frame of its stack is in that part's files).
 *
 *   npx tsx bench/cpuprofile-summary.ts <file.cpuprofile> [fromSeconds] [toSeconds]
 *
 * Seconds count from the profile's start (the bench's progress clock starts ~1 s later).
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const PARTS: Array<[string, RegExp]> = [
  ['rtsp-auth-proxy (RTSP relay)', /workers\/rtsp-auth-proxy\//],
  ['node-media-server (RTMP/FLV)', /node-media-server\//],
  ['flv gate (on-demand republish)', /workers\/rtmp\/flv-(gate|tags)/],
  ['ingest (supervisor, ffmpeg stderr ring)', /workers\/(ingest|ffmpeg)\//],
  ['recorder (probe, hash, index)', /workers\/(recorder|uploader)\//],
  ['bench polling', /\/bench\//],
];

const [file, from = '0', to = 'Infinity'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: tsx bench/cpuprofile-summary.ts <file.cpuprofile> [fromSeconds] [toSeconds]\n');
  process.exit(2);
}
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<string, number>();
const parts = new Map<string, number>();
let t = p.startTime;
let total = 0;
let idle = 0;
for (let i = 0; i < p.samples.length; i++) {
  t += p.timeDeltas[i]!;
  const rel = (t - p.startTime) / 1e6;
  if (rel < Number(from) || rel > Number(to)) continue;
  const d = p.timeDeltas[i]!;
  total += d;
  const leaf = byId.get(p.samples[i]!)!;
  if (leaf.callFrame.functionName === '(idle)') {
    idle += d;
    continue;
  }
  const key = `${leaf.callFrame.functionName || '(anonymous)'} ${leaf.callFrame.url.split('/').pop()}:${leaf.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + d);
  const seen = new Set<string>();
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
    const url = byId.get(id)!.callFrame.url;
    for (const [name, re] of PARTS) if (!seen.has(name) && re.test(url)) seen.add(name);
  }
  for (const name of seen) parts.set(name, (parts.get(name) ?? 0) + d);
}
const busy = total - idle;
const pct = (x: number) => `${((x / busy) * 100).toFixed(1).padStart(5)}%`;
const out = [`window ${from}-${to} s: ${(total / 1e6).toFixed(1)} s sampled, busy ${(busy / 1e6).toFixed(2)} s (${((busy / total) * 100).toFixed(1)} % of one core)`, 'top self time (share of busy):'];
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) out.push(`${pct(v)}  ${k}`);
out.push('inclusive per part (share of busy):');
for (const [k, v] of [...parts].sort((a, b) => b[1] - a[1])) out.push(`${pct(v)}  ${k}`);
process.stdout.write(`${out.join('\n')}\n`);
