/**
 * Enroll one discovered device or several into the registry (all or nothing on the server),
 * then show each device's outcome: the new camera, or why it could not be verified.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DiscoveredDeviceView } from '@common/discovery';
import { CAMERA_KINDS } from '@common/domain';
import { enrollDevice, enrollDevices, type EnrollResult } from '@web/api/discovery';
import { Dialog } from '@web/ui/Dialog';
import { enrollOutcomes, outcomeKey, type EnrollOutcome } from './errors';
import { emptyEnrollForm, toEnrollRequest, validateEnroll, type EnrollFormErrors, type EnrollFormValues } from './enrollForm';
import { Field } from '@web/ui/Field';

interface Props {
  devices: DiscoveredDeviceView[];
  onClose: () => void;
  onEnrolled: (r: EnrollResult) => void;
  onOpenCamera: () => void;
}

export function EnrollDialog({ devices, onClose, onEnrolled, onOpenCamera }: Props) {
  const { t } = useTranslation();
  const [values, setValues] = useState<EnrollFormValues>(emptyEnrollForm);
  const [errors, setErrors] = useState<EnrollFormErrors>({});
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<EnrollOutcome[] | null>(null);
  const single = devices.length === 1;
  const byId = new Map(devices.map((d) => [d.id, d]));

  const set = (k: keyof EnrollFormValues) => (e: { target: { value: string } }) => {
    const value = e.target.value;
    setValues((v) => ({ ...v, [k]: value }));
    if (errors[k]) setErrors(({ [k]: _gone, ...rest }) => rest);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found = validateEnroll(values);
    setErrors(found);
    if (Object.keys(found).length) return;
    const ids = devices.map((d) => d.id);
    const body = toEnrollRequest(values);
    setBusy(true);
    setOutcomes(null);
    try {
      const result = single ? await enrollDevice(ids[0]!, body) : await enrollDevices(ids, body);
      setOutcomes(enrollOutcomes(ids, { result }));
      setValues((v) => ({ ...v, password: '' }));
      onEnrolled(result);
    } catch (err) {
      setOutcomes(enrollOutcomes(ids, { error: err }));
    } finally {
      setBusy(false);
    }
  }

  const done = outcomes !== null && outcomes.every((o) => o.ok);
  const title = single ? t('discovery.enroll.titleOne', { address: devices[0]?.address ?? '' }) : t('discovery.enroll.titleMany', { count: devices.length });

  return (
    <Dialog open title={title} onClose={onClose} variant="drawer" testId="enroll-dialog">
      <form className="camera-form enroll-form" onSubmit={submit} noValidate data-testid="enroll-form">
        {outcomes && (
          <div className={`banner ${done ? 'banner-ok' : 'banner-error'}`} role={done ? 'status' : 'alert'} data-testid="enroll-result" data-ok={String(done)}>
            <strong>{done ? t('discovery.enroll.doneAll', { count: outcomes.length }) : t('discovery.enroll.failedAll')}</strong>
            <ul className="outcomes">
              {outcomes.map((o) => {
                const d = byId.get(o.deviceId);
                return (
                  <li key={o.deviceId} data-testid="enroll-outcome" data-device-id={o.deviceId} data-ok={String(o.ok)} data-code={o.ok ? undefined : o.code}>
                    <code>{d?.address ?? o.deviceId}</code> {t(outcomeKey(o))}
                    {!o.ok && o.code !== 'skipped' && o.code !== 'request' && o.code !== 'exists' && o.code !== 'notFound' && <em> {t(`discovery.error.${o.code}.hint`)}</em>}
                    {!o.ok && o.message && <small className="outcome-detail">{o.message}</small>}
                  </li>
                );
              })}
            </ul>
            {done && (
              <button type="button" className="btn btn-sm" data-testid="enroll-open-registry" onClick={onOpenCamera}>
                {t('discovery.enroll.openRegistry')}
              </button>
            )}
          </div>
        )}
        {!done && (
          <>
            <fieldset>
              <legend>{t('form.sectionBasic')}</legend>
              <Field id="enroll-name" label={single ? t('form.name') : t('discovery.enroll.namePrefix')} error={errors.name} hint={t(single ? 'discovery.enroll.nameHint' : 'discovery.enroll.namePrefixHint')} wide>
                {(a) => <input {...a} data-testid="enroll-name" value={values.name} onChange={set('name')} maxLength={200} />}
              </Field>
              <Field id="enroll-kind" label={t('form.kind')} error={errors.kind} required>
                {(a) => (
                  <select {...a} data-testid="enroll-kind" value={values.kind} onChange={set('kind')}>
                    {CAMERA_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`kind.${k}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id="enroll-state" label={t('discovery.enroll.state')} required>
                {(a) => (
                  <select {...a} data-testid="enroll-state" value={values.state} onChange={set('state')}>
                    <option value="approved">{t('enrollment.approved')}</option>
                    <option value="pending">{t('enrollment.pending')}</option>
                  </select>
                )}
              </Field>
            </fieldset>
            <fieldset>
              <legend>{t('form.sectionLocation')}</legend>
              <Field id="enroll-lat" label={t('form.lat')} error={errors.lat} required>
                {(a) => <input {...a} data-testid="enroll-lat" inputMode="decimal" value={values.lat} onChange={set('lat')} />}
              </Field>
              <Field id="enroll-lon" label={t('form.lon')} error={errors.lon} required>
                {(a) => <input {...a} data-testid="enroll-lon" inputMode="decimal" value={values.lon} onChange={set('lon')} />}
              </Field>
              <Field id="enroll-address" label={t('form.address')} error={errors.address} wide>
                {(a) => <input {...a} data-testid="enroll-address" value={values.address} onChange={set('address')} maxLength={500} />}
              </Field>
            </fieldset>
            <fieldset>
              <legend>{t('discovery.enroll.credentials')}</legend>
              <p className="note field-wide">{t('discovery.enroll.credentialsHint')}</p>
              <Field id="enroll-username" label={t('form.username')} error={errors.username}>
                {(a) => <input {...a} data-testid="enroll-username" value={values.username} onChange={set('username')} autoComplete="off" spellCheck={false} />}
              </Field>
              <Field id="enroll-password" label={t('form.password')} error={errors.password}>
                {(a) => <input {...a} data-testid="enroll-password" type="password" value={values.password} onChange={set('password')} autoComplete="new-password" />}
              </Field>
            </fieldset>
          </>
        )}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose} data-testid="enroll-close">
            {done ? t('common.close') : t('common.cancel')}
          </button>
          {!done && (
            <button type="submit" className="btn btn-primary" data-testid="enroll-submit" disabled={busy}>
              {busy ? t('discovery.enroll.submitting') : t('discovery.enroll.submit', { count: devices.length })}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
