import { expect } from 'chai';
import { localName, normaliseLanguage, otherLanguage } from '@web/i18n/language';
import { sectionOf } from '@web/layout/routes';
import { toRealtimeEvent } from '@web/realtime/events';
import { enrollmentActions } from '@web/registry/enrollment';
import { formatDateTime } from '@web/registry/format';
import { detectFormat, stripBom } from '@web/registry/importFormat';
import { can } from '@web/registry/permissions';
import { camera } from './fixtures';

describe('web: small helpers', () => {
  it('defaults to zh-CN and recognises English', () => {
    expect(normaliseLanguage(null)).to.equal('zh-CN');
    expect(normaliseLanguage('fr')).to.equal('zh-CN');
    expect(normaliseLanguage('en-GB')).to.equal('en');
    expect(otherLanguage('zh-CN')).to.equal('en');
  });

  it('shows org names in the console language, falling back to Chinese', () => {
    expect(localName({ name: '新安派出所', nameEn: 'Xin’an Station' }, 'en')).to.equal('Xin’an Station');
    expect(localName({ name: '新安派出所', nameEn: '' }, 'en')).to.equal('新安派出所');
    expect(localName({ name: '新安派出所', nameEn: 'Xin’an Station' }, 'zh-CN')).to.equal('新安派出所');
    expect(localName(undefined, 'en')).to.equal('');
  });

  it('routes paths to sections', () => {
    expect(sectionOf('/')).to.equal('cameras');
    expect(sectionOf('/live')).to.equal('live');
    expect(sectionOf('/incidents/42')).to.equal('incidents');
    expect(sectionOf('/nope')).to.equal('cameras');
  });

  it('turns socket payloads into typed events and rejects junk', () => {
    const c = camera();
    expect(toRealtimeEvent('camera:created', c)).to.deep.equal({ type: 'created', camera: c });
    expect(toRealtimeEvent('camera:updated', { id: 'x' })).to.equal(null);
    expect(toRealtimeEvent('camera:deleted', { id: 'x' })).to.deep.equal({ type: 'deleted', id: 'x' });
    expect(toRealtimeEvent('camera:status', { cameraId: 'x', status: 'offline', cause: null, at: 't' })).to.deep.equal({ type: 'status', cameraId: 'x', status: 'offline', cause: null, at: 't' });
    expect(toRealtimeEvent('camera:status', { cameraId: 'x', status: 'exploded' })).to.equal(null);
    expect(toRealtimeEvent('other', {})).to.equal(null);
  });

  it('reloads lists on one cameras:imported per bulk import', () => {
    expect(toRealtimeEvent('cameras:imported', { count: 10_000 })).to.deep.equal({ type: 'resync' });
    expect(toRealtimeEvent('cameras:imported', { count: 2, ids: ['a', 'b'] })).to.deep.equal({ type: 'resync' });
    expect(toRealtimeEvent('cameras:imported', 'junk')).to.equal(null);
  });

  it('offers enrollment transitions by state', () => {
    expect(enrollmentActions('pending')).to.deep.equal(['approve', 'reject']);
    expect(enrollmentActions('approved')).to.deep.equal(['suspend']);
    expect(enrollmentActions('suspended')).to.deep.equal(['approve']);
  });

  it('hides actions by role', () => {
    expect(can('admin', 'delete')).to.equal(true);
    expect(can('investigator', 'edit')).to.equal(false);
    expect(can('investigator', 'export')).to.equal(true);
    expect(can('merchant', 'create'), 'merchants file cameras only through verified enrollment').to.equal(false);
    expect(can('merchant', 'withdraw')).to.equal(true);
    expect(can('operator', 'withdraw'), 'consent is the owner\'s to withdraw').to.equal(false);
    expect(can('merchant', 'import')).to.equal(false);
    expect(can('merchant', 'enroll')).to.equal(false);
  });

  it('detects import formats', () => {
    expect(detectFormat('cams.JSON', 'name,kind')).to.equal('json');
    expect(detectFormat('cams.csv', '[')).to.equal('csv');
    expect(detectFormat('upload', '\uFEFF  [{"name":1}]')).to.equal('json');
    expect(detectFormat('upload', 'name,kind\n')).to.equal('csv');
    expect(stripBom('\uFEFFname')).to.equal('name');
  });

  it('formats times and tolerates junk', () => {
    const local = new Date(2025, 2, 4, 5, 6).toISOString();
    expect(formatDateTime(local)).to.equal('2025-03-04 05:06');
    expect(formatDateTime(null)).to.equal('');
    expect(formatDateTime('not a date')).to.equal('not a date');
  });
});
