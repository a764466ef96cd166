/**
 * npm run sim -- --cameras 16 [--base-octet 10] [--auth digest|basic|none] [--mode loop|replay|live-clock]
 *   [--username u] [--no-sub] [--no-onvif] [--no-discovery] [--rtsp-port 8554] [--onvif-port 8000]
 *   [--fault <index>=<fault>]...   (fault: refuse, stall, drop, reboot:5, slowSoap:2000, ...)
 * The password comes from SKYEYE_SIM_PASSWORD (default: the simulator default), never argv.
 */
import { parseArgs } from 'node:util';
import { parseFault } from './faults';
import { DEFAULTS, startFleet, type FleetOptions } from './fleet';
import type { AuthMode, Fault, SimMode } from './types';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cameras: { type: 'string', default: '4' },
      'base-octet': { type: 'string' },
      auth: { type: 'string' },
      mode: { type: 'string' },
      username: { type: 'string' },
      'no-sub': { type: 'boolean' },
      'no-onvif': { type: 'boolean' },
      'no-discovery': { type: 'boolean' },
      'rtsp-port': { type: 'string' },
      'onvif-port': { type: 'string' },
      fault: { type: 'string', multiple: true },
    },
  });
  const faults: Record<number, Fault[]> = {};
  for (const f of values.fault ?? []) {
    const [idx, spec] = f.split('=');
    (faults[Number(idx)] ??= []).push(parseFault(spec ?? ''));
  }
  const opts: FleetOptions = {
    cameras: Number(values.cameras),
    baseOctet: values['base-octet'] ? Number(values['base-octet']) : undefined,
    auth: values.auth as AuthMode | undefined,
    mode: values.mode as SimMode | undefined,
    username: values.username,
    password: process.env.SKYEYE_SIM_PASSWORD,
    withSub: !values['no-sub'],
    startOnvif: !values['no-onvif'],
    startDiscovery: !values['no-discovery'],
    rtspPort: values['rtsp-port'] ? Number(values['rtsp-port']) : undefined,
    onvifPort: values['onvif-port'] ? Number(values['onvif-port']) : undefined,
    faults,
  };
  const fleet = await startFleet(opts);
  const user = opts.username ?? DEFAULTS.username;
  console.log(`Sky Eye simulator: ${fleet.cameras.length} cameras, auth ${opts.auth ?? DEFAULTS.auth}`);
  console.log(`credentials: username=${user} password=${opts.password ? '(from SKYEYE_SIM_PASSWORD)' : DEFAULTS.password}`);
  for (const c of fleet.cameras) {
    console.log(`\n${c.id}  ${c.kind.padEnd(9)} ${c.name}  (${c.location.lat.toFixed(5)}, ${c.location.lon.toFixed(5)})`);
    console.log(`  onvif ${c.onvifUrl}`);
    console.log(`  main  ${c.rtspMainUrl}`);
    console.log(`  sub   ${c.rtspSubUrl}`);
  }
  console.log('\nrunning; Ctrl-C to stop');
  let stopping = false;
  const shutdown = (sig: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${sig}: stopping cameras...`);
    void fleet.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
