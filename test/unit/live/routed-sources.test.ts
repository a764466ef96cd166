import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createServer as createHttpServer } from 'node:http';
import { NoLiveHolder, routedSources, type LeaseHolder } from '@server/live/routed-sources';
import { localFlvSource, NoSubStream } from '@server/live/sources';

/** A loopback port nobody listens on (a worker that died). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('live routed sources: no live holder', () => {
  const CAM = '11111111-1111-4111-8111-111111111111';
  const sources = (holder: LeaseHolder | null, localPlaylist: string | null = null) =>
    routedSources({
      local: { hls: { readPlaylist: async () => localPlaylist, openSegment: async () => null }, flv: { open: async () => null } },
      holderOf: async () => holder,
      isLocal: () => false,
      sign: () => 't',
    });

  it('a holder that does not answer (killed, lease not expired yet) is NoLiveHolder(unreachable), not an error', async () => {
    const s = sources({ workerId: 'w', baseUrl: `http://127.0.0.1:${await deadPort()}` });
    const err = await s.hls.readPlaylist(CAM).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(NoLiveHolder);
    expect((err as NoLiveHolder).why).to.equal('unreachable');
    const segErr = await s.hls.openSegment(CAM, 'seg-1.ts').then(() => null, (e: unknown) => e);
    expect(segErr).to.be.instanceOf(NoLiveHolder);
  });

  it('no holder and nothing local is NoLiveHolder(none); local files are still served', async () => {
    const err = await sources(null).hls.readPlaylist(CAM).then(() => null, (e: unknown) => e);
    expect((err as NoLiveHolder).why).to.equal('none');
    expect(await sources(null, '#EXTM3U').hls.readPlaylist(CAM)).to.equal('#EXTM3U');
    expect(await sources({ workerId: 'here', baseUrl: null }).hls.readPlaylist(CAM), 'held, playlist not written yet').to.equal(null);
  });

  it('the sub stream: proxied to the holder\'s /sub.flv; locally NoSubStream when this process does not serve it', async () => {
    const paths: string[] = [];
    const holder = createHttpServer((req, res) => {
      paths.push(req.url ?? '');
      res.end();
    });
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const s = sources({ workerId: 'w', baseUrl: `http://127.0.0.1:${(holder.address() as AddressInfo).port}` });
    for (const variant of ['main', 'sub'] as const) (await s.flv.open(CAM, new AbortController().signal, variant))?.resume();
    await new Promise<void>((r) => holder.close(() => r()));
    expect(paths).to.deep.equal([`/api/v1/live/${CAM}.flv?token=t`, `/api/v1/live/${CAM}/sub.flv?token=t`]);
    const local = localFlvSource({ endpoint: () => ({ host: '127.0.0.1', port: 1 }), hasSub: () => false });
    const err = await local.open(CAM, new AbortController().signal, 'sub').then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(NoSubStream);
  });
});
