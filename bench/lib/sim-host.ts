/**
 * The camera simulator in its own process (forked by sim-client.ts), so its RTSP relay CPU is
 * not billed to Sky Eye's node process. Builds the fleet like sim/startFleet but with a chosen
 * main-stream profile (startFleet has no resolution option). Talks JSON over the IPC channel.
 */
import { SimCamera, type CameraSpec } from '@sim/camera';
import { demoCameraPlan } from '@sim/demo-town';
import { DEFAULTS, endpointReferenceFor, fleetAddresses } from '@sim/fleet';
import { prepareStream } from '@sim/media/cache';
import { replayClip } from '@sim/media/replay-clip';
import { MAIN_PROFILE, type StreamProfile } from '@sim/media/ffmpeg-args';
import type { SimMode } from '@sim/types';
import type { HostReply, HostRequest } from './sim-protocol';

let cameras: SimCamera[] = [];
let stopping: Promise<void> | null = null;

function send(msg: HostReply): void {
  process.send?.(msg);
}

async function start(n: number, baseOctet: number, profile: StreamProfile, mode: SimMode): Promise<void> {
  const main = await prepareStream(profile, mode === 'live-clock');
  const replay = mode === 'replay' ? { main: await replayClip(main) } : undefined;
  const addresses = fleetAddresses(n, baseOctet);
  cameras = demoCameraPlan(n).map((site, i) => {
    const address = addresses[i]!;
    const spec: CameraSpec = {
      index: i,
      id: `bench-${String(i + 1).padStart(2, '0')}`,
      name: site.name,
      kind: site.kind,
      address,
      location: { lat: site.lat, lon: site.lon },
      endpointReference: endpointReferenceFor(address),
      manufacturer: 'SkyEye Sim',
      model: 'SE-BENCH',
      firmware: 'bench',
      serial: `BENCH${i}`,
      hasPtz: false,
      username: DEFAULTS.username,
      password: DEFAULTS.password,
      auth: 'none',
      mode,
      rtspPort: DEFAULTS.rtspPort,
      onvifPort: DEFAULTS.onvifPort,
      rtpPort: DEFAULTS.rtpPort,
      main,
      replay,
      startOnvif: false,
      startDiscovery: false,
      faults: [],
    };
    return new SimCamera(spec);
  });
  await Promise.all(cameras.map((c) => c.start()));
}

async function waitBack(cam: SimCamera): Promise<number> {
  for (;;) {
    await cam.settled();
    if (cam.rtsp.listening && !cam.faults().down) return Date.now();
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function handle(m: HostRequest): Promise<void> {
  switch (m.op) {
    case 'start': {
      const profile: StreamProfile = { ...MAIN_PROFILE, width: m.width, height: m.height, bitrateKbps: m.bitrateKbps };
      await start(m.cameras, m.baseOctet, profile, m.mode);
      send({ op: 'ready', id: m.id, cameras: cameras.map((c) => ({ id: c.id, rtspUrl: c.rtspMainUrl })) });
      return;
    }
    case 'stall':
    case 'clear': {
      const at: number[] = [];
      for (const i of m.indexes) {
        if (m.op === 'stall') cameras[i]!.setFault('stall');
        else cameras[i]!.clearFault();
        at.push(Date.now());
      }
      send({ op: 'done', id: m.id, at });
      return;
    }
    case 'reboot': {
      const cam = cameras[m.index]!;
      cam.setFault({ reboot: m.seconds });
      const downAt = Date.now();
      await new Promise((r) => setTimeout(r, m.seconds * 1000));
      send({ op: 'done', id: m.id, at: [downAt, await waitBack(cam)] });
      return;
    }
    case 'pids':
      send({ op: 'pids', id: m.id, pids: cameras.map((c) => c.publisherPid('main')).filter((p): p is number => p !== undefined) });
      return;
    case 'stop':
      await stop();
      send({ op: 'done', id: m.id, at: [Date.now()] });
      process.disconnect?.();
      return;
  }
}

function stop(): Promise<void> {
  stopping ??= Promise.allSettled(cameras.map((c) => c.stop())).then(() => undefined);
  return stopping;
}

process.on('message', (m: HostRequest) => {
  handle(m).catch((e: unknown) => send({ op: 'error', id: m.id, message: (e as Error).message }));
});
const quit = () => void stop().finally(() => process.exit(0));
process.on('disconnect', quit);
process.on('SIGINT', quit);
process.on('SIGTERM', quit);
