import { expect } from 'chai';
import { classifyError, DeviceError } from '@server/discovery/errors';
import { MalformedXmlError } from '@server/discovery/safe-xml';
import { videoCodecOf } from '@server/enrollment/rtsp-describe';

const err = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe('discovery/errors', () => {
  it('classifies failures', () => {
    expect(classifyError(err('connect ECONNREFUSED', 'ECONNREFUSED')).code).to.equal('unreachable');
    expect(classifyError(err('Network timeout')).code).to.equal('timeout');
    expect(classifyError(err('x', 'ETIMEDOUT')).code).to.equal('timeout');
    expect(classifyError(err('Sender not authorized')).code).to.equal('auth_failed');
    expect(classifyError(err('Digest authentication failed 401')).code).to.equal('auth_failed');
    expect(classifyError(new MalformedXmlError('bad')).code).to.equal('malformed_response');
    expect(classifyError(err('reply larger than 10 bytes', 'ERESPONSETOOLARGE')).code).to.equal('malformed_response');
    expect(classifyError(err('Wrong ONVIF SOAP response')).code).to.equal('malformed_response');
    expect(classifyError(err('ActionNotSupported')).code).to.equal('not_onvif');
    const d = new DeviceError('timeout', 'slow');
    expect(classifyError(d)).to.equal(d);
  });

  it('finds an H.264/H.265 video track in SDP', () => {
    expect(videoCodecOf('v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n')).to.equal('H264');
    expect(videoCodecOf('v=0\nm=video 0 RTP/AVP 98\na=rtpmap:98 H265/90000\n')).to.equal('H265');
    expect(videoCodecOf('v=0\nm=audio 0 RTP/AVP 97\na=rtpmap:97 H264/90000\nm=video 0 RTP/AVP 26\na=rtpmap:26 JPEG/90000\n')).to.equal(undefined);
  });
});
