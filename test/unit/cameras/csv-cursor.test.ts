import { expect } from 'chai';
import { cameraToCsvRow, checkHeader, csvField, csvRowToInput, EXPORT_COLUMNS } from '@server/cameras/csv';
import { decodeCursor, encodeCursor } from '@server/cameras/cursor';
import { CameraInputSchema, type Camera } from '@server/cameras/schemas';
import type { OrgIndex } from '@server/org/repository';
import { HttpError } from '@server/http/problem';

const STATION = '11111111-1111-4111-8111-111111111111';
const ZONE = '22222222-2222-4222-8222-222222222222';
const org: OrgIndex = {
  idByCode: { station: new Map([['xinan', STATION]]), policeRoom: new Map(), patrolZone: new Map([['zone-01', ZONE]]), grid: new Map() },
  codeById: { station: new Map([[STATION, 'xinan']]), policeRoom: new Map(), patrolZone: new Map([[ZONE, 'zone-01']]), grid: new Map() },
};

describe('cameras: CSV row mapping', () => {
  it('maps a full row to a valid camera input', () => {
    const { input, errors } = csvRowToInput(
      {
        name: 'Gate 1',
        kind: 'road',
        lat: '34.09',
        lon: '119.35',
        address: 'Main St',
        coordSystem: 'WGS84',
        rtspUrl: 'rtsp://10.0.0.1/main',
        rtspSubUrl: '',
        onvifUrl: 'http://10.0.0.1/onvif/device_service',
        username: 'admin',
        password: 'pw',
        tags: 'gate| entrance |',
        stationCode: 'xinan',
        patrolZoneCode: 'zone-01',
        ownerName: 'Li',
        ownerPhone: '123',
      },
      org,
    );
    expect(errors).to.deep.equal([]);
    const parsed = CameraInputSchema.parse(input);
    expect(parsed).to.deep.include({
      name: 'Gate 1',
      kind: 'road',
      location: { lat: 34.09, lon: 119.35, address: 'Main St', coordSystem: 'wgs84' },
      credentials: { username: 'admin', password: 'pw' },
      tags: ['gate', 'entrance'],
      stationId: STATION,
      patrolZoneId: ZONE,
      owner: { name: 'Li', phone: '123' },
    });
    expect(parsed).not.to.have.property('rtspSubUrl');
  });

  it('reports unknown org codes by column; bad numbers fail validation at the column', () => {
    const { input, errors } = csvRowToInput({ name: 'x', kind: 'road', lat: 'north', lon: '119', rtspUrl: 'rtsp://h/s', stationCode: 'nope' }, org);
    expect(errors).to.deep.equal([{ field: 'stationCode', message: 'no station with code "nope"' }]);
    const r = CameraInputSchema.safeParse(input);
    expect(r.success).to.equal(false);
    expect(r.error!.issues.map((i) => csvField(i.path.join('.')))).to.deep.equal(['lat']);
  });

  it('checks the header', () => {
    expect(checkHeader(['name', 'kind', 'lat', 'lon', 'rtspUrl'])).to.deep.equal([]);
    expect(checkHeader(['name', 'kind', 'lat', 'rtspUrl', 'colour']).map((e) => e.field)).to.deep.equal(['colour', 'lon']);
  });

  it('exports without credentials and with codes', () => {
    const cam = {
      name: 'n',
      kind: 'shopfront',
      location: { lat: 1, lon: 2, address: null, coordSystem: 'wgs84' },
      stationId: STATION,
      policeRoomId: null,
      patrolZoneId: null,
      gridId: null,
      owner: null,
      onvifUrl: null,
      rtspUrl: 'rtsp://h/s',
      rtspSubUrl: null,
      credentials: { username: 'u' },
      tags: ['a', 'b'],
    } as unknown as Camera;
    const row = cameraToCsvRow(cam, org);
    expect(Object.keys(row)).to.deep.equal([...EXPORT_COLUMNS]);
    expect(row).to.include({ stationCode: 'xinan', tags: 'a|b', lat: '1', address: '' });
    expect(JSON.stringify(row)).not.to.include('"u"');
  });
});

describe('cameras: cursors', () => {
  it('round-trip each kind', () => {
    const c = { k: 'c' as const, t: '2025-01-02T03:04:05.123456Z', id: '11111111-1111-4111-8111-111111111111' };
    expect(decodeCursor(encodeCursor(c), 'c')).to.deep.equal(c);
    const d = { k: 'd' as const, d: 123.456789012345, id: c.id };
    expect(decodeCursor(encodeCursor(d), 'd')).to.deep.equal(d);
    expect(decodeCursor(encodeCursor({ k: 'h', id: 42 }), 'h')).to.deep.equal({ k: 'h', id: 42 });
  });
  it('is opaque base64url', () => {
    expect(encodeCursor({ k: 'h', id: 1 })).to.match(/^[A-Za-z0-9_-]+$/);
  });
  it('rejects garbage, the wrong kind and bad fields with a 400 naming cursor', () => {
    for (const [text, kind] of [
      ['!!!', 'c'],
      [encodeCursor({ k: 'h', id: 1 }), 'c'],
      [Buffer.from(JSON.stringify({ k: 'c', t: "x'; drop", id: 'y' })).toString('base64url'), 'c'],
    ] as const) {
      try {
        decodeCursor(text, kind);
        expect.fail('should throw');
      } catch (e) {
        expect(e).to.be.instanceOf(HttpError);
        expect((e as HttpError).status).to.equal(400);
        expect((e as HttpError).errors?.[0]?.field).to.equal('cursor');
      }
    }
  });
});
