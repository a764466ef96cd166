/** Discovery page: socket payloads, the scan reducer and error messages. */
import { expect } from 'chai';
import { DISCOVERY_ERRORS } from '@common/discovery';
import { parseProblem } from '@web/api/problem';
import { codeInMessage, deviceErrorKeys, enrollOutcomes, outcomeKey } from '@web/discovery/errors';
import { canEnroll, compareAddress, initialScan, progressRatio, pruneSelection, scanReducer, toggle } from '@web/discovery/scanState';
import { toDiscoveryEvent } from '@web/realtime/discoveryEvents';
import { expectKey } from './i18n-keys';
import { D1, D2, S1, S2, device, ev, run, snapshot, started } from './discovery-fixtures';

describe('web/discovery: socket payloads', () => {
  it('accepts the three discovery events and rejects junk', () => {
    expect(toDiscoveryEvent('discovery:progress', { scanId: S1, status: 'running', addressesTotal: 8, addressesDone: 3, deviceCount: 1 })).to.deep.equal({
      type: 'progress',
      scanId: S1,
      status: 'running',
      addressesTotal: 8,
      addressesDone: 3,
      deviceCount: 1,
    });
    expect(toDiscoveryEvent('discovery:device', { scanId: S1, device: device() })).to.deep.include({ type: 'device', scanId: S1 });
    expect(toDiscoveryEvent('discovery:done', { scanId: S1, status: 'failed', deviceCount: 2, error: 'boom' })).to.deep.equal({ type: 'done', scanId: S1, status: 'failed', deviceCount: 2, error: 'boom' });
    expect(toDiscoveryEvent('discovery:progress', { scanId: S1, status: 'exploded' })).to.equal(null);
    expect(toDiscoveryEvent('discovery:device', { scanId: S1, device: { id: 1 } })).to.equal(null);
    expect(toDiscoveryEvent('discovery:done', null)).to.equal(null);
    expect(toDiscoveryEvent('camera:created', { scanId: S1 })).to.equal(null);
    const odd = toDiscoveryEvent('discovery:progress', { scanId: S1, status: 'running', addressesTotal: -4, addressesDone: 'x' });
    expect(odd).to.deep.include({ addressesTotal: 0, addressesDone: 0, deviceCount: 0 });
  });
});

describe('web/discovery: scan reducer', () => {
  it('buffers events that arrive before the POST answers, then replays only the scan’s own', () => {
    const s = run([
      { type: 'start', method: 'unicast', range: '127.0.10.0/29' },
      ev({ type: 'device', scanId: S1, device: device() }),
      ev({ type: 'device', scanId: S2, device: device({ id: D2, scanId: S2 }) }),
      ev({ type: 'progress', scanId: S1, status: 'running', addressesTotal: 8, addressesDone: 2, deviceCount: 1 }),
      { type: 'started', id: S1 },
    ]);
    expect(s.scan).to.deep.include({ id: S1, phase: 'running', addressesTotal: 8, addressesDone: 2, deviceCount: 1 });
    expect(s.devices.map((d) => d.id)).to.deep.equal([D1]);
    expect(s.buffer).to.deep.equal([]);
  });

  it('a failed start goes back to idle', () => {
    const s = run([{ type: 'start', method: 'multicast', range: null }, { type: 'startFailed' }]);
    expect(s).to.deep.equal(initialScan);
  });

  it('counters never go down, done is final, devices are upserted and sorted by address', () => {
    const s = run(
      [
        ev({ type: 'progress', scanId: S1, status: 'running', addressesTotal: 8, addressesDone: 5, deviceCount: 1 }),
        ev({ type: 'device', scanId: S1, device: device({ id: D2, address: '127.0.10.10' }) }),
        ev({ type: 'device', scanId: S1, device: device({ id: D1, address: '127.0.10.3' }) }),
        ev({ type: 'device', scanId: S1, device: device({ id: D1, address: '127.0.10.3', firmware: '2.0' }) }),
        ev({ type: 'done', scanId: S1, status: 'done', deviceCount: 2, error: null }),
        ev({ type: 'progress', scanId: S1, status: 'running', addressesTotal: 8, addressesDone: 4, deviceCount: 1 }),
      ],
      started,
    );
    expect(s.scan).to.deep.include({ phase: 'done', addressesDone: 5, deviceCount: 2 });
    expect(s.devices.map((d) => d.address)).to.deep.equal(['127.0.10.3', '127.0.10.10']);
    expect(s.devices[0]!.firmware).to.equal('2.0');
    expect(progressRatio(s.scan!)).to.equal(1);
  });

  it('ignores events of other scans and resync events', () => {
    const s = run([ev({ type: 'device', scanId: S2, device: device({ scanId: S2 }) }), ev({ type: 'resync' })], started);
    expect(s).to.equal(started);
  });

  it('reconciles with a snapshot without losing newer events or a local enrolled mark', () => {
    const s = run(
      [
        ev({ type: 'device', scanId: S1, device: device({ id: D2, address: '127.0.10.3' }) }),
        { type: 'enrolled', enrolled: [{ deviceId: D2, cameraId: 'cam-9' }] },
        { type: 'snapshot', scan: snapshot({ status: 'done', addressesDone: 8, deviceCount: 2, devices: [device(), device({ id: D2, address: '127.0.10.3' })] }) },
      ],
      started,
    );
    expect(s.scan).to.deep.include({ phase: 'done', addressesDone: 8, deviceCount: 2 });
    expect(s.devices.map((d) => [d.id, d.state])).to.deep.equal([
      [D1, 'new'],
      [D2, 'enrolled'],
    ]);
    expect(s.devices[1]!.cameraId).to.equal('cam-9');
    // An older "running" snapshot does not reopen a finished scan.
    const again = scanReducer(s, { type: 'snapshot', scan: snapshot({ status: 'running', addressesDone: 3 }) });
    expect(again.scan).to.deep.include({ phase: 'done', addressesDone: 8 });
  });

  it('ignores a snapshot of another scan unless asked to open it', () => {
    const other = snapshot({ id: S2, status: 'done', devices: [device({ scanId: S2 })] });
    expect(scanReducer(started, { type: 'snapshot', scan: other })).to.equal(started);
    const opened = scanReducer(started, { type: 'snapshot', scan: other, open: true });
    expect(opened.scan).to.deep.include({ id: S2, phase: 'done' });
    expect(opened.devices).to.have.length(1);
  });

  it('multicast progress has no ratio until done', () => {
    expect(progressRatio({ ...started.scan!, addressesTotal: 0 })).to.equal(null);
    expect(progressRatio({ ...started.scan!, addressesTotal: 8, addressesDone: 2 })).to.equal(0.25);
  });

  it('selection keeps only enrollable rows', () => {
    const a = device();
    const known = device({ id: D2, state: 'known', cameraId: 'c1' });
    const noStream = device({ id: 'x', onvifUrl: null, streamUris: { main: null, sub: null } });
    expect([a, known, noStream].map(canEnroll)).to.deep.equal([true, false, false]);
    expect([...pruneSelection(new Set([D1, D2, 'gone']), [a, known])]).to.deep.equal([D1]);
    expect([...toggle(toggle(new Set(), D1), D1)]).to.deep.equal([]);
    expect(compareAddress('127.0.10.10', '127.0.10.9')).to.be.greaterThan(0);
  });
});

describe('web/discovery: error messages', () => {
  it('every discovery error code has a title and a next step in both languages', () => {
    for (const code of [...DISCOVERY_ERRORS, 'something-new']) {
      const k = deviceErrorKeys(code)!;
      expectKey(k.title);
      expectKey(k.hint);
    }
    expect(deviceErrorKeys(null)).to.equal(null);
    expect(deviceErrorKeys('auth_failed')!.title).to.equal('discovery.error.auth_failed.title');
    expect(deviceErrorKeys('bogus')!.title).to.equal('discovery.error.unknown.title');
  });

  it('finds the code in server messages', () => {
    expect(codeInMessage('auth_failed: the device refused the credentials')).to.equal('auth_failed');
    expect(codeInMessage(`${D1}: timeout: the device did not answer in time`)).to.equal('timeout');
    expect(codeInMessage('host 10.0.0.1 is not inside the allowed ranges')).to.equal(null);
  });

  it('maps an enroll result and its problem+json to per-device outcomes', () => {
    const ok = enrollOutcomes([D1, D2], { result: { enrolled: [{ deviceId: D1, cameraId: 'c1' }] } });
    expect(ok).to.deep.equal([
      { deviceId: D1, ok: true, cameraId: 'c1' },
      { deviceId: D2, ok: false, code: 'skipped', message: '' },
    ]);

    const unprocessable = parseProblem(
      422,
      '',
      'application/problem+json',
      JSON.stringify({ title: 'Unprocessable content', status: 422, detail: 'Some devices could not be verified; nothing was enrolled.', errors: [{ field: 'deviceIds.1', message: `${D2}: auth_failed: the device refused the credentials` }] }),
    );
    const bad = enrollOutcomes([D1, D2], { error: unprocessable });
    expect(bad.map((o) => (o.ok ? 'ok' : o.code))).to.deep.equal(['skipped', 'auth_failed']);
    expect(bad[1]).to.deep.include({ message: 'auth_failed: the device refused the credentials' });

    const conflict = parseProblem(409, '', 'application/problem+json', JSON.stringify({ title: 'Conflict', status: 409, detail: 'already', devices: [{ deviceId: D1, cameraId: 'c', state: 'known' }] }));
    expect(enrollOutcomes([D1], { error: conflict }).map((o) => (o.ok ? 'ok' : o.code))).to.deep.equal(['exists']);

    const forbidden = parseProblem(403, 'Forbidden', 'application/problem+json', JSON.stringify({ title: 'Forbidden', status: 403, detail: 'Your role may not do this.' }));
    const all = enrollOutcomes([D1, D2], { error: forbidden });
    expect(all.every((o) => !o.ok && o.code === 'request' && o.message.includes('Your role'))).to.equal(true);
    expect(enrollOutcomes([D1], { error: new Error('offline') })[0]).to.deep.include({ code: 'request', message: 'offline' });

    for (const o of [...ok, ...bad, ...all, ...enrollOutcomes([D1], { error: conflict })]) expectKey(outcomeKey(o));
  });
});

