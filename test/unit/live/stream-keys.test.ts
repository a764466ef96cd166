import { expect } from 'chai';
import { generateStreamKey, hashStreamKey, verifyStreamKey } from '@workers/rtmp/stream-keys';
import { isLoopbackAddress, liveOutputUrl, pushInputUrl, pushPublishUrl } from '@workers/rtmp/urls';

const CAM = '0b8f3c2e-6a1d-4c7e-9f00-1234567890ab';

describe('RTMP push stream keys', () => {
  it('generates distinct high-entropy URL-safe keys', () => {
    const a = generateStreamKey();
    const b = generateStreamKey();
    expect(a).to.match(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(a).not.to.equal(b);
  });

  it('stores a hash that is not the key and is bound to the camera', () => {
    const key = generateStreamKey();
    const h = hashStreamKey(CAM, key);
    expect(h).to.match(/^[0-9a-f]{64}$/);
    expect(h).not.to.include(key);
    expect(hashStreamKey('other', key)).not.to.equal(h);
  });

  it('verifies only the right key for the right camera', () => {
    const key = generateStreamKey();
    const h = hashStreamKey(CAM, key);
    expect(verifyStreamKey(CAM, key, h)).to.equal(true);
    expect(verifyStreamKey(CAM, generateStreamKey(), h)).to.equal(false);
    expect(verifyStreamKey('other', key, h)).to.equal(false);
    expect(verifyStreamKey(CAM, undefined, h)).to.equal(false);
    expect(verifyStreamKey(CAM, key, null)).to.equal(false);
    expect(verifyStreamKey(CAM, key, 'zz')).to.equal(false);
  });

  it('builds the pipeline and publish URLs', () => {
    const ep = { host: '127.0.0.1', port: 1935 };
    expect(pushInputUrl(ep, CAM)).to.equal(`rtmp://127.0.0.1:1935/push/${CAM}`);
    expect(liveOutputUrl(ep, CAM)).to.equal(`rtmp://127.0.0.1:1935/live/${CAM}`);
    expect(pushPublishUrl('::1', 1935, CAM)).to.equal(`rtmp://[::1]:1935/push/${CAM}`);
  });

  it('recognises loopback peers', () => {
    for (const ip of ['127.0.0.1:5000', '::1:5000', '::ffff:127.0.0.1:5000', '127.8.9.1:1']) expect(isLoopbackAddress(ip), ip).to.equal(true);
    for (const ip of ['10.0.0.1:5000', '::ffff:192.168.1.2:5000', '']) expect(isLoopbackAddress(ip), ip).to.equal(false);
  });
});
