/** The new-incident dialog: title, category, map point and radius, time window, description. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident, IncidentMeta } from '@common/incidents';
import { createIncident } from '@web/api/incidents';
import { isApiError } from '@web/api/problem';
import { Dialog } from '@web/ui/Dialog';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';
import { Field } from '@web/ui/Field';
import { describeError } from '@web/ui/errors';
import { categoryKey, emptyForm, formErrors, formFieldOf, toInput, type IncidentForm as Form } from './incidentModel';

interface Props {
  open: boolean;
  meta: IncidentMeta | null;
  prefill: Partial<Form>;
  onClose(): void;
  onCreated(incident: Incident): void;
}

export function IncidentForm({ open, meta, prefill, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const [form, setForm] = useState<Form>(() => emptyForm(Date.now(), prefill));
  const [errors, setErrors] = useState<Partial<Record<keyof Form, string>>>({});
  const [banner, setBanner] = useState<BannerContent | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  /** Client messages are keys (incidents.v.*), server messages are shown as sent. */
  const errText = (k: keyof Form) => {
    const m = errors[k];
    return m === undefined ? undefined : m.startsWith('incidents.v.') ? t(m) : m;
  };
  const label = (c: string) => {
    const key = categoryKey(c);
    return key ? t(key) : c;
  };

  const submit = async () => {
    const local = formErrors(form);
    setErrors(local);
    setBanner(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      onCreated(await createIncident(toInput(form)));
    } catch (e) {
      const placed: Partial<Record<keyof Form, string>> = {};
      const other: Array<{ field: string; message: string }> = [];
      if (isApiError(e)) {
        for (const fe of e.fieldErrors) {
          const k = formFieldOf(fe.field);
          if (k) placed[k] = fe.message;
          else other.push(fe);
        }
      }
      setErrors(placed);
      setBanner({ ...describeError(e, t), other });
    } finally {
      setBusy(false);
    }
  };

  const text = (k: keyof Form, type = 'text', extra: Record<string, string> = {}) => (a11y: { id: string }) => (
    <input {...a11y} type={type} value={form[k]} onChange={set(k)} data-testid={`incident-${k}`} {...extra} />
  );

  return (
    <Dialog
      open={open}
      title={t('incidents.new')}
      onClose={onClose}
      testId="incident-form"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} data-testid="incident-submit" onClick={() => void submit()}>
            {t('incidents.create')}
          </button>
        </>
      }
    >
      {banner && <ErrorBanner banner={banner} testId="incident-form-error" />}
      <div className="incident-form">
        <Field id="incident-title" label={t('incidents.field.title')} error={errText('title')} required wide>
          {text('title')}
        </Field>
        <Field id="incident-category" label={t('incidents.field.category')} error={errText('category')} required>
          {(a11y) => (
            <select {...a11y} value={form.category} onChange={set('category')} data-testid="incident-category">
              {(meta?.categories ?? [form.category]).map((c) => (
                <option key={c} value={c}>
                  {label(c)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="incident-radius" label={t('incidents.field.radius')} error={errText('radius')} hint={meta ? t('incidents.radiusHint', { max: meta.maxRadius }) : undefined} required>
          {text('radius', 'number', { min: '1', step: '10' })}
        </Field>
        <Field id="incident-lat" label={t('incidents.field.lat')} error={errText('lat')} required>
          {text('lat', 'text', { inputMode: 'decimal', placeholder: '34.09' })}
        </Field>
        <Field id="incident-lon" label={t('incidents.field.lon')} error={errText('lon')} required>
          {text('lon', 'text', { inputMode: 'decimal', placeholder: '119.35' })}
        </Field>
        <Field id="incident-address" label={t('incidents.field.address')} error={errText('address')} wide>
          {text('address')}
        </Field>
        <Field id="incident-from" label={t('incidents.field.from')} error={errText('from')} required>
          {text('from', 'datetime-local')}
        </Field>
        <Field id="incident-to" label={t('incidents.field.to')} error={errText('to')} required>
          {text('to', 'datetime-local')}
        </Field>
        <Field id="incident-description" label={t('incidents.field.description')} error={errText('description')} wide>
          {(a11y) => <textarea {...a11y} rows={3} value={form.description} onChange={set('description')} data-testid="incident-description" />}
        </Field>
      </div>
    </Dialog>
  );
}
