import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { authorizationHeader, digestResponse, parseAuthParams, parseBasic, parseChallenge, pickChallenge } from '@protocol/auth/digest';

describe('protocol/auth/digest (known answers from RFC 2617 and RFC 7616)', () => {
  it('RFC 2617 section 3.5: Mufasa, qop=auth', () => {
    const r = digestResponse({ username: 'Mufasa', password: 'Circle Of Life', realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', method: 'GET', uri: '/dir/index.html', qop: 'auth', nc: 1, cnonce: '0a4f113b' });
    expect(r).to.equal('6629fae49393a05397450978507c4ef1');
  });

  it('RFC 2069 example (no qop, as most IP cameras answer), with its published erratum', () => {
    const r = digestResponse({ username: 'Mufasa', password: 'CircleOfLife', realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', method: 'GET', uri: '/dir/index.html' });
    expect(r).to.equal('1949323746fe6a43ef61f9606e7febea');
  });

  const rfc7616 = {
    username: 'Mufasa',
    password: 'Circle of Life',
    realm: 'http-auth@example.org',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    method: 'GET',
    uri: '/dir/index.html',
    qop: 'auth' as const,
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };
  it('RFC 7616 section 3.9.1: MD5', () => {
    expect(digestResponse({ ...rfc7616, algorithm: 'MD5' })).to.equal('8ca523f5e9506fed4657c9700eebdbec');
  });
  it('RFC 7616 section 3.9.1: SHA-256', () => {
    expect(digestResponse({ ...rfc7616, algorithm: 'SHA-256' })).to.equal('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('builds the RFC 7616 SHA-256 Authorization header from the challenge', () => {
    const c = parseChallenge('Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"')!;
    const h = authorizationHeader(c, { username: 'Mufasa', password: 'Circle of Life' }, 'GET', '/dir/index.html', 1, rfc7616.cnonce);
    expect(h).to.include('response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"');
    expect(h).to.include('algorithm=SHA-256').and.include('qop=auth').and.include('nc=00000001').and.include('opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"');
  });

  it('a no-qop header matches an independent MD5 of the RFC 2617 formula', () => {
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    const want = md5(`${md5('admin:cam:pw')}:abc:${md5('DESCRIBE:rtsp://1.2.3.4/x')}`);
    expect(authorizationHeader({ scheme: 'digest', params: { realm: 'cam', nonce: 'abc' } }, { username: 'admin', password: 'pw' }, 'DESCRIBE', 'rtsp://1.2.3.4/x')).to.equal(
      `Digest username="admin", realm="cam", nonce="abc", uri="rtsp://1.2.3.4/x", response="${want}"`,
    );
  });

  it('prefers Digest among all WWW-Authenticate headers, in any order; Basic only when allowed', () => {
    const digest = 'Digest realm="y", nonce="n"';
    const basic = 'Basic realm="x"';
    expect(pickChallenge([basic, digest], { allowBasic: true })?.scheme).to.equal('digest');
    expect(pickChallenge([digest, basic], { allowBasic: true })?.scheme).to.equal('digest');
    expect(pickChallenge([digest, 'Digest realm="y", nonce="m", algorithm=SHA-256'], { allowBasic: false })?.params.algorithm).to.equal('SHA-256');
    expect(pickChallenge([basic], { allowBasic: true })?.scheme).to.equal('basic');
    expect(pickChallenge([basic], { allowBasic: false })).to.equal(null);
    expect(pickChallenge(['Digest realm="y", nonce="n", algorithm=SHA-512-256', basic], { allowBasic: false })).to.equal(null);
  });

  it('parses quoted values with commas and escapes; Basic round trip', () => {
    expect(parseChallenge('Digest realm="IP Camera(23)", nonce="a,b", qop="auth,auth-int", stale=FALSE')).to.deep.equal({
      scheme: 'digest',
      params: { realm: 'IP Camera(23)', nonce: 'a,b', qop: 'auth,auth-int', stale: 'FALSE' },
    });
    expect(parseAuthParams('username="a\\"b", nc=00000001')).to.deep.equal({ username: 'a"b', nc: '00000001' });
    expect(authorizationHeader({ scheme: 'basic', params: {} }, { username: 'a', password: 'b' }, 'DESCRIBE', 'u')).to.equal('Basic YTpi');
    expect(parseBasic('Basic YTpi')).to.deep.equal({ username: 'a', password: 'b' });
  });
});
