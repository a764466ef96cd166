/** Discovered devices: details, state, error with what to do next, changes; select and enroll. */
import { useTranslation } from 'react-i18next';
import type { DiscoveredDeviceView } from '@common/discovery';
import { changeFlags, clockSkewed, formatOffset, ptzKey } from './deviceFormat';
import { deviceErrorKeys } from './errors';
import { canEnroll } from './scanState';

interface Props {
  devices: DiscoveredDeviceView[];
  operate: boolean;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: (on: boolean) => void;
  onEnroll: (d: DiscoveredDeviceView) => void;
}

const Dash = () => <span className="muted">—</span>;
const Text = ({ v, mono }: { v: string | null; mono?: boolean }) => (v ? <span className={mono ? 'mono ellipsis' : 'ellipsis'} title={v}>{v}</span> : <Dash />);

export function DeviceTable({ devices, operate, selected, onToggle, onToggleAll, onEnroll }: Props) {
  const { t } = useTranslation();
  const enrollable = devices.filter(canEnroll);
  const allOn = enrollable.length > 0 && enrollable.every((d) => selected.has(d.id));

  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="grid device-table" data-testid="device-table">
        <thead>
          <tr>
            {operate && (
              <th scope="col" className="col-check">
                <input type="checkbox" aria-label={t('discovery.col.selectAll')} checked={allOn} disabled={enrollable.length === 0} onChange={(e) => onToggleAll(e.target.checked)} data-testid="device-select-all" />
              </th>
            )}
            <th scope="col">{t('discovery.col.address')}</th>
            <th scope="col">{t('discovery.col.state')}</th>
            <th scope="col">{t('discovery.col.manufacturer')}</th>
            <th scope="col">{t('discovery.col.model')}</th>
            <th scope="col">{t('discovery.col.firmware')}</th>
            <th scope="col">{t('discovery.col.serial')}</th>
            <th scope="col">{t('discovery.col.mainStream')}</th>
            <th scope="col">{t('discovery.col.subStream')}</th>
            <th scope="col">{t('discovery.col.snapshot')}</th>
            <th scope="col">{t('discovery.col.ptz')}</th>
            <th scope="col">{t('discovery.col.clock')}</th>
            <th scope="col">{t('discovery.col.error')}</th>
            <th scope="col">{t('discovery.col.changes')}</th>
            <th scope="col">{t('discovery.col.endpoint')}</th>
            {operate && <th scope="col" className="col-actions">{t('discovery.col.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => {
            const err = deviceErrorKeys(d.error);
            const offset = formatOffset(d.clockOffsetMs);
            const enrollOk = canEnroll(d);
            return (
              <tr key={d.id} data-testid="device-row" data-address={d.address} data-state={d.state} data-device-id={d.id} data-error={d.error ?? undefined}>
                {operate && (
                  <td className="col-check">
                    <input
                      type="checkbox"
                      data-testid="device-select"
                      aria-label={t('discovery.col.select', { address: d.address })}
                      checked={selected.has(d.id)}
                      disabled={!enrollOk}
                      onChange={() => onToggle(d.id)}
                    />
                  </td>
                )}
                <td className="mono" data-testid="device-address">
                  {d.address}
                  {d.xaddrMismatch && (
                    <span className="flag flag-warn" title={t('discovery.xaddrMismatchHint')}>
                      {t('discovery.xaddrMismatch')}
                    </span>
                  )}
                </td>
                <td>
                  <span className={`badge dstate-${d.state}`} data-testid="device-state">
                    {t(`discovery.state.${d.state}`)}
                  </span>
                </td>
                <td data-testid="device-manufacturer">
                  <Text v={d.manufacturer} />
                </td>
                <td>
                  <Text v={d.model} />
                </td>
                <td>
                  <Text v={d.firmware} />
                </td>
                <td>
                  <Text v={d.serial} mono />
                </td>
                <td className="cell-uri" data-testid="device-main-uri">
                  <Text v={d.streamUris.main} mono />
                </td>
                <td className="cell-uri">
                  <Text v={d.streamUris.sub} mono />
                </td>
                <td className="cell-uri">
                  <Text v={d.snapshotUri} mono />
                </td>
                <td>{t(ptzKey(d.hasPtz))}</td>
                <td className={clockSkewed(d.clockOffsetMs) ? 'clock-skew' : undefined} title={clockSkewed(d.clockOffsetMs) ? t('discovery.clockSkewHint') : undefined}>
                  {offset ?? <Dash />}
                </td>
                <td className="cell-error" data-testid="device-error">
                  {err ? (
                    <div title={d.errorDetail ?? undefined}>
                      <strong>{t(err.title)}</strong>
                      <small>{t(err.hint)}</small>
                    </div>
                  ) : (
                    <Dash />
                  )}
                </td>
                <td data-testid="device-changes">
                  {changeFlags(d).map((c) => (
                    <span key={c.field} className="flag flag-info" data-change={c.field} title={t('discovery.change.fromTo', { from: c.from ?? '—', to: c.to ?? '—' })}>
                      {t(c.key, { field: c.field })}
                    </span>
                  ))}
                </td>
                <td className="cell-uri">
                  <Text v={d.endpoint} mono />
                </td>
                {operate && (
                  <td className="col-actions">
                    <button type="button" className="btn btn-sm" data-testid="device-enroll" disabled={!enrollOk} onClick={() => onEnroll(d)} title={enrollOk ? undefined : t('discovery.enroll.notEnrollable')}>
                      {t('discovery.enroll.one')}
                    </button>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {devices.length === 0 && (
        <div className="empty" data-testid="device-empty">
          {t('discovery.noDevices')}
        </div>
      )}
    </div>
  );
}
