/**
 * ensureLoopbackMulticast(): make WS-Discovery multicast work on `lo` only.
 * - sets the MULTICAST flag on lo if it is missing (`ip link set lo multicast on`);
 * - routes 239.255.255.250/32 via lo if the route points elsewhere, so clients that send Probes
 *   without choosing an interface stay on loopback.
 * Idempotent; touches nothing but lo; needs root (CAP_NET_ADMIN). Returns what it changed.
 */
import { execFile } from 'node:child_process';
import { WSD_ADDRESS } from './messages';

export type Exec = (cmd: string, args: string[]) => Promise<string>;

const realExec: Exec = (cmd, args) =>
  new Promise((resolve, reject) =>
    execFile(cmd, args, { timeout: 5000 }, (e, so, se) => (e ? reject(new Error(`${cmd} ${args.join(' ')}: ${se || e.message}`)) : resolve(so))),
  );

export async function ensureLoopbackMulticast(exec: Exec = realExec): Promise<string[]> {
  const changed: string[] = [];
  const link = await exec('ip', ['link', 'show', 'lo']);
  const flags = /<([^>]*)>/.exec(link)?.[1]?.split(',') ?? [];
  if (!flags.includes('MULTICAST')) {
    await exec('ip', ['link', 'set', 'lo', 'multicast', 'on']);
    changed.push('lo multicast on');
  }
  const route = await exec('ip', ['route', 'get', WSD_ADDRESS]);
  if (!/\bdev lo\b/.test(route)) {
    await exec('ip', ['route', 'replace', `${WSD_ADDRESS}/32`, 'dev', 'lo']);
    changed.push(`route ${WSD_ADDRESS}/32 dev lo`);
  }
  return changed;
}
