/**
 * Create/edit drawer. Client validation first, then the server's field errors beside the fields
 * and its title/detail in the banner; 409 (someone else saved first) offers loading the latest.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CAMERA_KINDS, COORD_SYSTEMS, RECORDING_MODES, STREAM_TRANSPORTS, type Role } from '@common/domain';
import { createCamera, getCamera, updateCamera } from '@web/api/cameras';
import { isApiError } from '@web/api/problem';
import type { Camera } from '@web/api/types';
import { localName } from '@web/i18n/language';
import { describeError } from '@web/ui/errors';
import { Field } from './fields';
import { emptyForm, fromCamera, mapServerErrors, toInput, toPatch, validate, type FormErrors, type FormMode, type FormValues } from './formModel';
import type { OrgIndex } from './useOrg';
import { ErrorBanner, type BannerContent } from '@web/ui/ErrorBanner';

interface Props {
  initial: FormMode;
  role: Role;
  org: OrgIndex;
  onSaved: (c: Camera, created: boolean) => void;
  onCancel: () => void;
}

interface Banner extends BannerContent {
  conflict?: boolean;
}

export function CameraForm({ initial, role, org, onSaved, onCancel }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [mode, setMode] = useState<FormMode>(initial);
  const [values, setValues] = useState<FormValues>(initial.kind === 'edit' ? fromCamera(initial.camera) : emptyForm());
  const [errors, setErrors] = useState<FormErrors>({});
  const [banner, setBanner] = useState<Banner | null>(null);
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof FormValues>(k: K) => (e: { target: { value: string } }) => {
    const value = e.target.value as FormValues[K];
    setValues((v) => {
      const next = { ...v, [k]: value };
      if (k === 'stationId') {
        next.policeRoomId = '';
        next.gridId = '';
      }
      if (k === 'policeRoomId') next.gridId = '';
      return next;
    });
    if (errors[k]) setErrors(({ [k]: _gone, ...rest }) => rest);
  };

  async function reloadLatest() {
    if (mode.kind !== 'edit') return;
    setBusy(true);
    try {
      const latest = await getCamera(mode.camera.id);
      setMode({ kind: 'edit', camera: latest });
      setValues(fromCamera(latest));
      setErrors({});
      setBanner(null);
    } catch (e) {
      setBanner(describeError(e, t));
    } finally {
      setBusy(false);
    }
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const found = validate(values, mode);
    setErrors(found);
    if (Object.keys(found).length) {
      setBanner({ heading: t('form.invalid') });
      return;
    }
    setBusy(true);
    setBanner(null);
    try {
      if (mode.kind === 'create') {
        onSaved(await createCamera(toInput(values)), true);
        return;
      }
      const patch = toPatch(mode.camera, values);
      onSaved(patch ? await updateCamera(mode.camera.id, patch) : mode.camera, false);
    } catch (err) {
      if (isApiError(err) && err.status === 409) {
        setBanner({ heading: t('form.conflict'), detail: err.detail, conflict: true, requestId: err.requestId });
      } else if (isApiError(err)) {
        const mapped = mapServerErrors(err.fieldErrors);
        setErrors(mapped.fields);
        setBanner({ ...describeError(err, t), other: mapped.other });
      } else {
        setBanner(describeError(err, t));
      }
    } finally {
      setBusy(false);
    }
  }

  const rooms = org.org.policeRooms.filter((r) => !values.stationId || r.stationId === values.stationId);
  const grids = org.org.grids.filter(
    (g) => (!values.stationId || !g.stationId || g.stationId === values.stationId) && (!values.policeRoomId || !g.policeRoomId || g.policeRoomId === values.policeRoomId),
  );
  const editing = mode.kind === 'edit';

  return (
    <form className="camera-form" data-testid="camera-form" onSubmit={onSubmit} noValidate>
      {banner && (
        <ErrorBanner banner={banner} testId="form-error" warn={banner.conflict} attrs={{ 'data-conflict': banner.conflict ? 'true' : undefined }}>
          {banner.conflict && (
            <button type="button" className="btn btn-sm" data-testid="form-reload" onClick={() => void reloadLatest()} disabled={busy}>
              {t('form.reloadLatest')}
            </button>
          )}
        </ErrorBanner>
      )}
      {role === 'merchant' && !editing && <p className="note">{t('form.pendingNote')}</p>}

      <fieldset>
        <legend>{t('form.sectionBasic')}</legend>
        <Field name="name" label={t('form.name')} errors={errors} required wide>
          {(a) => <input {...a} value={values.name} onChange={set('name')} maxLength={200} autoFocus />}
        </Field>
        <Field name="kind" label={t('form.kind')} errors={errors} required>
          {(a) => (
            <select {...a} value={values.kind} onChange={set('kind')}>
              {CAMERA_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="tags" label={t('form.tags')} errors={errors} hint={t('form.tagsHint')}>
          {(a) => <input {...a} value={values.tags} onChange={set('tags')} />}
        </Field>
      </fieldset>

      <fieldset>
        <legend>{t('form.sectionLocation')}</legend>
        <Field name="lat" label={t('form.lat')} errors={errors} required>
          {(a) => <input {...a} inputMode="decimal" value={values.lat} onChange={set('lat')} placeholder="34.09" />}
        </Field>
        <Field name="lon" label={t('form.lon')} errors={errors} required>
          {(a) => <input {...a} inputMode="decimal" value={values.lon} onChange={set('lon')} placeholder="119.35" />}
        </Field>
        <Field name="coordSystem" label={t('form.coordSystem')} errors={errors}>
          {(a) => (
            <select {...a} value={values.coordSystem} onChange={set('coordSystem')}>
              {COORD_SYSTEMS.map((c) => (
                <option key={c} value={c}>
                  {t(`coordSystem.${c}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="address" label={t('form.address')} errors={errors} wide>
          {(a) => <input {...a} value={values.address} onChange={set('address')} maxLength={500} />}
        </Field>
      </fieldset>

      <fieldset>
        <legend>{t('form.sectionStream')}</legend>
        <Field name="rtspUrl" label={t('form.rtspUrl')} errors={errors} required wide>
          {(a) => <input {...a} value={values.rtspUrl} onChange={set('rtspUrl')} placeholder="rtsp://192.168.1.64:554/Streaming/Channels/101" spellCheck={false} />}
        </Field>
        <Field name="rtspSubUrl" label={t('form.rtspSubUrl')} errors={errors} wide>
          {(a) => <input {...a} value={values.rtspSubUrl} onChange={set('rtspSubUrl')} spellCheck={false} />}
        </Field>
        <Field name="onvifUrl" label={t('form.onvifUrl')} errors={errors} wide>
          {(a) => <input {...a} value={values.onvifUrl} onChange={set('onvifUrl')} placeholder="http://192.168.1.64/onvif/device_service" spellCheck={false} />}
        </Field>
        <Field name="transport" label={t('form.transport')} errors={errors}>
          {(a) => (
            <select {...a} value={values.transport} onChange={set('transport')}>
              {STREAM_TRANSPORTS.map((x) => (
                <option key={x} value={x}>
                  {t(`transport.${x}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="username" label={t('form.username')} errors={errors}>
          {(a) => <input {...a} value={values.username} onChange={set('username')} autoComplete="off" spellCheck={false} />}
        </Field>
        <Field name="password" label={t('form.password')} errors={errors} hint={editing && mode.camera.credentials ? t('form.passwordKeep') : undefined}>
          {(a) => <input {...a} type="password" value={values.password} onChange={set('password')} autoComplete="new-password" placeholder={editing && mode.camera.credentials ? '••••••' : ''} />}
        </Field>
      </fieldset>

      <fieldset>
        <legend>{t('form.sectionOrg')}</legend>
        <Field name="stationId" label={t('form.station')} errors={errors}>
          {(a) => (
            <select {...a} value={values.stationId} onChange={set('stationId')}>
              <option value="">{t('common.none')}</option>
              {org.org.stations.map((s) => (
                <option key={s.id} value={s.id}>
                  {localName(s, lang)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="policeRoomId" label={t('form.policeRoom')} errors={errors}>
          {(a) => (
            <select {...a} value={values.policeRoomId} onChange={set('policeRoomId')}>
              <option value="">{t('common.none')}</option>
              {rooms.map((r) => (
                <option key={r.id} value={r.id}>
                  {localName(r, lang)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="patrolZoneId" label={t('form.patrolZone')} errors={errors}>
          {(a) => (
            <select {...a} value={values.patrolZoneId} onChange={set('patrolZoneId')}>
              <option value="">{t('common.none')}</option>
              {org.org.patrolZones.map((z) => (
                <option key={z.id} value={z.id}>
                  {localName(z, lang)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="gridId" label={t('form.grid')} errors={errors}>
          {(a) => (
            <select {...a} value={values.gridId} onChange={set('gridId')}>
              <option value="">{t('common.none')}</option>
              {grids.map((g) => (
                <option key={g.id} value={g.id}>
                  {localName(g, lang)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>

      <fieldset>
        <legend>{t('form.sectionOwner')}</legend>
        <Field name="ownerName" label={t('form.ownerName')} errors={errors}>
          {(a) => <input {...a} value={values.ownerName} onChange={set('ownerName')} maxLength={100} />}
        </Field>
        <Field name="ownerPhone" label={t('form.ownerPhone')} errors={errors}>
          {(a) => <input {...a} type="tel" value={values.ownerPhone} onChange={set('ownerPhone')} maxLength={40} />}
        </Field>
      </fieldset>

      <fieldset>
        <legend>{t('form.sectionRecording')}</legend>
        <Field name="recordingMode" label={t('form.recordingMode')} errors={errors}>
          {(a) => (
            <select {...a} value={values.recordingMode} onChange={set('recordingMode')}>
              {RECORDING_MODES.map((m) => (
                <option key={m} value={m}>
                  {t(`recording.${m}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="retentionDays" label={t('form.retentionDays')} errors={errors}>
          {(a) => <input {...a} inputMode="numeric" value={values.retentionDays} onChange={set('retentionDays')} />}
        </Field>
      </fieldset>

      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel} data-testid="camera-cancel">
          {t('common.cancel')}
        </button>
        <button type="submit" className="btn btn-primary" data-testid="camera-save" disabled={busy}>
          {busy ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </form>
  );
}
