/**
 * 登记我的摄像机 / Register my camera: a merchant offers their own camera (ONVIF address or RTSP
 * URL) with consent. The server verifies it and files it as pending; the dialog shows the
 * verification outcome, or why it failed and what to do next. The password stays in this
 * component's state for the request only.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LocationPicker } from '@web/map/LocationPicker';
import { enrollMerchantCamera, type MerchantEnrollResult } from '@web/api/discovery';
import { setSharing } from '@web/api/footage';
import { SHARING_MODES, type SharingMode } from '@common/incidents';
import { Field } from '@web/ui/Field';
import { Dialog } from '@web/ui/Dialog';
import { describeError } from '@web/ui/errors';
import { emptyMerchantForm, failureKeys, merchantFailure, toMerchantRequest, validateMerchant, type MerchantErrors, type MerchantFailure, type MerchantFormValues } from './merchantForm';

interface Props {
  open: boolean;
  onClose: () => void;
  onEnrolled: (r: MerchantEnrollResult) => void;
}

export function MerchantEnrollDialog({ open, onClose, onEnrolled }: Props) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} title={t('merchantEnroll.title')} onClose={onClose} variant="drawer" testId="merchant-enroll-dialog">
      {open && <MerchantEnrollForm onClose={onClose} onEnrolled={onEnrolled} />}
    </Dialog>
  );
}

/** The form's point when both fields parse as a coordinate, else null. */
function pointOf(lat: string, lon: string): { lat: number; lon: number } | null {
  const a = Number(lat);
  const o = Number(lon);
  return lat.trim() && lon.trim() && Number.isFinite(a) && Number.isFinite(o) && Math.abs(a) <= 90 && Math.abs(o) <= 180 ? { lat: a, lon: o } : null;
}

function MerchantEnrollForm({ onClose, onEnrolled }: Omit<Props, 'open'>) {
  const { t } = useTranslation();
  const [values, setValues] = useState<MerchantFormValues>(emptyMerchantForm);
  const [errors, setErrors] = useState<MerchantErrors>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<MerchantEnrollResult | null>(null);
  const [failure, setFailure] = useState<MerchantFailure | null>(null);
  /** How police may use the recordings (camera_sharing; on_request unless the owner chooses otherwise). */
  const [sharing, setSharingMode] = useState<SharingMode>('on_request');
  const [sharingFailed, setSharingFailed] = useState(false);

  const set = (k: keyof MerchantFormValues) => (e: { target: { value: string } }) => {
    const value = e.target.value;
    setValues((v) => ({ ...v, [k]: value }));
    if (errors[k]) setErrors(({ [k]: _gone, ...rest }) => rest);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found = validateMerchant(values);
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length) return;
    setBusy(true);
    try {
      const r = await enrollMerchantCamera(toMerchantRequest(values));
      if (sharing !== 'on_request') await setSharing(r.cameraId, sharing).catch(() => setSharingFailed(true));
      setResult(r);
      setValues((v) => ({ ...v, password: '' }));
      onEnrolled(r);
    } catch (err) {
      const f = merchantFailure(err);
      if (f.kind === 'invalid') setErrors(f.fields);
      setFailure(f);
    } finally {
      setBusy(false);
    }
  }

  if (result) {
    const v = result.verification;
    return (
      <div className="merchant-result">
        <div className="banner banner-ok" role="status" data-testid="merchant-enroll-result" data-ok="true" data-state={result.enrollmentState} data-camera-id={result.cameraId}>
          <strong>{t('merchantEnroll.ok.title')}</strong>
          {sharingFailed && <span data-testid="merchant-sharing-failed">{t('footage.sharingFailed')}</span>}
          <span>{t('merchantEnroll.ok.verified', { method: t(`merchantEnroll.method.${v.method}`), codec: v.codec ?? t('merchantEnroll.ok.unknownCodec') })}</span>
          <span>
            {t('merchantEnroll.ok.pending')} <span className="badge enroll-pending">{t('enrollment.pending')}</span>
          </span>
          <small className="mono">{v.rtspUrl}</small>
        </div>
        <div className="form-actions">
          <button type="button" className="btn btn-primary" data-testid="merchant-enroll-done" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      </div>
    );
  }

  const source = values.source;
  return (
    <form className="camera-form merchant-form" onSubmit={submit} noValidate data-testid="merchant-enroll-form">
      <p className="note">{t('merchantEnroll.intro')}</p>
      {failure && <FailureBanner failure={failure} />}
      <fieldset>
        <legend>{t('merchantEnroll.sectionCamera')}</legend>
        <Field id="merchant-source" label={t('merchantEnroll.source')} wide>
          {(a) => (
            <select {...a} data-testid="merchant-source" value={source} onChange={set('source')}>
              <option value="rtsp">{t('merchantEnroll.sourceRtsp')}</option>
              <option value="onvif">{t('merchantEnroll.sourceOnvif')}</option>
            </select>
          )}
        </Field>
        <Field id="merchant-url" label={source === 'rtsp' ? t('merchantEnroll.rtspUrl') : t('merchantEnroll.onvifUrl')} error={errors.url} hint={source === 'rtsp' ? t('merchantEnroll.rtspHint') : t('merchantEnroll.onvifHint')} required wide>
          {(a) => (
            <input
              {...a}
              data-testid="merchant-url"
              value={values.url}
              onChange={set('url')}
              spellCheck={false}
              placeholder={source === 'rtsp' ? 'rtsp://192.168.1.64:554/Streaming/Channels/101' : 'http://192.168.1.64/onvif/device_service'}
            />
          )}
        </Field>
        <Field id="merchant-username" label={t('form.username')} error={errors.username}>
          {(a) => <input {...a} data-testid="merchant-username" value={values.username} onChange={set('username')} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field id="merchant-password" label={t('form.password')} error={errors.password}>
          {(a) => <input {...a} data-testid="merchant-password" type="password" value={values.password} onChange={set('password')} autoComplete="new-password" />}
        </Field>
        <Field id="merchant-name" label={t('form.name')} error={errors.name} hint={t('merchantEnroll.nameHint')} required wide>
          {(a) => <input {...a} data-testid="merchant-name" value={values.name} onChange={set('name')} maxLength={200} />}
        </Field>
        <Field id="merchant-kind" label={t('form.kind')} error={errors.kind} required>
          {(a) => (
            <select {...a} data-testid="merchant-kind" value={values.kind} onChange={set('kind')}>
              <option value="shopfront">{t('kind.shopfront')}</option>
              <option value="household">{t('kind.household')}</option>
            </select>
          )}
        </Field>
      </fieldset>
      <fieldset>
        <legend>{t('form.sectionLocation')}</legend>
        <Field id="merchant-lat" label={t('form.lat')} error={errors.lat} required>
          {(a) => <input {...a} data-testid="merchant-lat" inputMode="decimal" value={values.lat} onChange={set('lat')} />}
        </Field>
        <Field id="merchant-lon" label={t('form.lon')} error={errors.lon} required>
          {(a) => <input {...a} data-testid="merchant-lon" inputMode="decimal" value={values.lon} onChange={set('lon')} />}
        </Field>
        <LocationPicker value={pointOf(values.lat, values.lon)} onPick={(p) => setValues((v) => ({ ...v, lat: String(p.lat), lon: String(p.lon) }))} />
        <Field id="merchant-address" label={t('form.address')} error={errors.address} wide>
          {(a) => <input {...a} data-testid="merchant-address" value={values.address} onChange={set('address')} maxLength={500} />}
        </Field>
      </fieldset>
      <fieldset>
        <legend>{t('form.sectionOwner')}</legend>
        <Field id="merchant-owner-name" label={t('form.ownerName')} error={errors.ownerName} required>
          {(a) => <input {...a} data-testid="merchant-owner-name" value={values.ownerName} onChange={set('ownerName')} maxLength={100} />}
        </Field>
        <Field id="merchant-owner-phone" label={t('form.ownerPhone')} error={errors.ownerPhone}>
          {(a) => <input {...a} data-testid="merchant-owner-phone" type="tel" value={values.ownerPhone} onChange={set('ownerPhone')} maxLength={40} />}
        </Field>
        <Field id="merchant-sharing" label={t('footage.sharing')} hint={t('footage.sharingHint')} wide>
          {(a) => (
            <select {...a} data-testid="merchant-sharing" value={sharing} onChange={(e) => setSharingMode(e.target.value as SharingMode)}>
              {SHARING_MODES.map((m) => (
                <option key={m} value={m}>
                  {t(`footage.mode.${m}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>
      <div className={`consent field-wide${errors.consent ? ' has-error' : ''}`}>
        <label className="consent-label">
          <input
            type="checkbox"
            data-testid="merchant-consent"
            checked={values.consent}
            aria-invalid={!!errors.consent}
            aria-describedby={errors.consent ? 'merchant-consent-error' : undefined}
            onChange={(e) => {
              const consent = e.target.checked;
              setValues((v) => ({ ...v, consent }));
              if (errors.consent) setErrors(({ consent: _gone, ...rest }) => rest);
            }}
          />
          <span>{t('merchantEnroll.consent')}</span>
        </label>
        {errors.consent && (
          <span className="field-error" id="merchant-consent-error" role="alert">
            {errors.consent.startsWith('merchantEnroll.v.') ? t(errors.consent) : errors.consent}
          </span>
        )}
      </div>
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" data-testid="merchant-enroll-submit" disabled={busy}>
          {busy ? t('merchantEnroll.verifying') : t('merchantEnroll.submit')}
        </button>
      </div>
    </form>
  );
}

function FailureBanner({ failure }: { failure: MerchantFailure }) {
  const { t } = useTranslation();
  if (failure.kind === 'verify') {
    const keys = failureKeys(failure.code);
    return (
      <div className="banner banner-error" role="alert" data-testid="merchant-enroll-result" data-ok="false" data-code={failure.code}>
        <strong>{t(keys.title)}</strong>
        <span>{t(keys.hint)}</span>
        {failure.detail && <small>{t('merchantEnroll.fail.detail', { detail: failure.detail })}</small>}
      </div>
    );
  }
  if (failure.kind === 'invalid') {
    return (
      <div className="banner banner-error" role="alert" data-testid="merchant-enroll-result" data-ok="false" data-code="invalid">
        <strong>{t('form.invalid')}</strong>
        {failure.other.length > 0 && (
          <ul>
            {failure.other.map((o, i) => (
              <li key={i}>
                <code>{o.field}</code> {o.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  const n = describeError(failure.error, t);
  return (
    <div className="banner banner-error" role="alert" data-testid="merchant-enroll-result" data-ok="false" data-code="other">
      <strong>{n.heading}</strong>
      {n.detail && <span>{n.detail}</span>}
      {n.requestId && <small>{t('common.requestId', { id: n.requestId })}</small>}
    </div>
  );
}
