/**
 * Start a scan: multicast (WS-Discovery) or unicast over a CIDR range, optional device
 * credentials. The password lives only in this component's state, is sent in the request body
 * and cleared once the scan has started.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScanMethod } from '@common/discovery';
import type { ScanRequest } from '@web/api/discovery';
import { isApiError } from '@web/api/problem';
import { describeError } from '@web/ui/errors';
import { Field } from '@web/ui/Field';
import { emptyScanForm, mapScanErrors, toScanRequest, validateScan, type ScanFormErrors, type ScanFormValues } from './scanForm';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';

interface Props {
  busy: boolean;
  onStart: (body: ScanRequest) => Promise<void>;
}

export function ScanForm({ busy, onStart }: Props) {
  const { t } = useTranslation();
  const [values, setValues] = useState<ScanFormValues>(emptyScanForm);
  const [errors, setErrors] = useState<ScanFormErrors>({});
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const [sending, setSending] = useState(false);

  const set = (k: keyof ScanFormValues) => (e: { target: { value: string } }) => {
    const value = e.target.value;
    setValues((v) => ({ ...v, [k]: value }));
    if (k in errors) setErrors(({ [k as keyof ScanFormErrors]: _gone, ...rest }) => rest);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found = validateScan(values);
    setErrors(found);
    setBanner(null);
    if (Object.keys(found).length) return;
    setSending(true);
    try {
      await onStart(toScanRequest(values));
      setValues((v) => ({ ...v, password: '' }));
    } catch (err) {
      if (isApiError(err) && err.status === 400) {
        const mapped = mapScanErrors(err.fieldErrors);
        setErrors(mapped.fields);
        setBanner({ ...describeError(err, t), other: mapped.other });
      } else setBanner(describeError(err, t));
    } finally {
      setSending(false);
    }
  }

  const unicast = values.method === 'unicast';
  return (
    <form className="scan-form panel" onSubmit={submit} noValidate data-testid="scan-form">
      {banner && (
        <ErrorBanner banner={banner} testId="scan-error" />
      )}
      <div className="scan-fields">
        <Field id="scan-method" label={t('discovery.scan.method')}>
          {(a) => (
            <select {...a} data-testid="scan-method" value={values.method} onChange={set('method')}>
              {(['unicast', 'multicast'] as ScanMethod[]).map((m) => (
                <option key={m} value={m}>
                  {t(`discovery.method.${m}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="scan-range" label={t('discovery.scan.range')} error={errors.range} hint={unicast ? t('discovery.scan.rangeHint') : t('discovery.scan.multicastHint')} required={unicast}>
          {(a) => <input {...a} data-testid="scan-range" value={values.range} onChange={set('range')} disabled={!unicast} placeholder="127.0.1.0/24" spellCheck={false} />}
        </Field>
        <Field id="scan-username" label={t('discovery.scan.username')} error={errors.username} hint={t('discovery.scan.credentialsHint')}>
          {(a) => <input {...a} data-testid="scan-username" value={values.username} onChange={set('username')} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field id="scan-password" label={t('discovery.scan.password')} error={errors.password}>
          {(a) => <input {...a} data-testid="scan-password" type="password" value={values.password} onChange={set('password')} autoComplete="new-password" />}
        </Field>
        <div className="scan-submit">
          <button type="submit" className="btn btn-primary" data-testid="scan-start" disabled={busy || sending}>
            {busy || sending ? t('discovery.scan.running') : t('discovery.scan.start')}
          </button>
        </div>
      </div>
    </form>
  );
}
