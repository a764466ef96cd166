/**
 * Camera addresses as input: credentials written into a URL are moved out of it (cameras/urls.ts),
 * and a URL whose user name or password cannot be percent-decoded is a 400 naming the field, not
 * an exception in the middle of a create or an import (it was a 500, and one such row failed a
 * whole 10,000-row import).
 */
import { expect } from 'chai';
import { CameraInputSchema } from '@server/cameras/schemas';
import { cleanUrls } from '@server/cameras/rows';

const input = (rtspUrl: string) => ({ name: 'x', kind: 'road', location: { lat: 34.1, lon: 119.3 }, rtspUrl });

describe('camera URLs with credentials in them', () => {
  it('a broken %-escape in the user name or password is refused, naming the field', () => {
    for (const url of ['rtsp://a%E0:b@127.0.0.1/x', 'rtsp://admin:50%@127.0.0.1/x', 'rtsp://admin:%zz@127.0.0.1/x']) {
      const r = CameraInputSchema.safeParse(input(url));
      expect(r.success, url).to.equal(false);
      expect(r.error!.issues.map((i) => i.path.join('.')), url).to.deep.equal(['rtspUrl']);
      expect(r.error!.issues[0]!.message).to.match(/%25/);
    }
  });

  it('a valid escape is decoded into the credentials and the URL keeps none', () => {
    const r = CameraInputSchema.safeParse(input('rtsp://admin:50%25off@127.0.0.1/x'));
    expect(r.success).to.equal(true);
    expect(cleanUrls({ rtspUrl: r.data!.rtspUrl })).to.deep.equal({ rtspUrl: 'rtsp://127.0.0.1/x', found: { username: 'admin', password: '50%off' } });
  });
});
