/**
 * Saved walls (server-side, per user; shared ones from the station read-only): open one, delete
 * one's own, save the wall on screen under a name (optionally shared with a station), copy the
 * wall's bookmarkable link.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createWall, deleteWall, updateWall, type SavedWall } from '@web/api/walls';
import { isApiError } from '@web/api/problem';
import type { Org } from '@web/api/types';
import { localName } from '@web/i18n/language';
import { Dialog } from '@web/ui/Dialog';
import { toSavedInput } from './savedWall';
import type { WallSettings } from './wallState';

interface Props {
  org: Org;
  saved: readonly SavedWall[];
  wall: WallSettings;
  /** Merchants cannot share. */
  canShare: boolean;
  onOpen: (wall: SavedWall) => void;
  /** Reload the list (after a save or delete). */
  onChanged: () => void;
}

export function SavedWalls({ org, saved, wall, canShare, onOpen, onChanged }: Props) {
  const { t, i18n } = useTranslation();
  const [chosen, setChosen] = useState('');
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [stationId, setStationId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const current = saved.find((s) => s.id === chosen);

  const save = async () => {
    setError(null);
    const input = toSavedInput(wall, name, shared, stationId || null);
    const same = saved.find((s) => s.mine && s.name.toLowerCase() === input.name.toLowerCase());
    try {
      // Saving under an existing name of one's own replaces that wall.
      const r = same ? await updateWall(same.id, { ...input, version: same.version }) : await createWall(input);
      setSaving(false);
      setChosen(r.id);
      setNote(t('wall.saved.saved'));
      onChanged();
    } catch (e) {
      setError(isApiError(e) ? (e.detail ?? e.title) : t('error.generic'));
    }
  };

  const remove = async () => {
    if (!current?.mine) return;
    try {
      await deleteWall(current.id);
      setChosen('');
      setNote(t('wall.saved.deleted'));
      onChanged();
    } catch {
      setNote(t('error.generic'));
    }
  };

  return (
    <fieldset data-testid="wall-saved">
      <legend>{t('wall.saved.label')}</legend>
      <select aria-label={t('wall.saved.label')} data-testid="wall-saved-select" value={chosen} onChange={(e) => setChosen(e.target.value)}>
        <option value="">{saved.length ? t('wall.fill.choose') : t('wall.saved.none')}</option>
        {saved.map((s) => (
          <option key={s.id} value={s.id} data-testid="wall-saved-option">
            {s.mine ? s.name : `${s.name} — ${t('wall.saved.sharedBy', { name: s.owner.name })}`}
          </option>
        ))}
      </select>
      <button type="button" className="btn btn-sm" data-testid="wall-saved-open" disabled={!current} onClick={() => current && onOpen(current)}>
        {t('wall.saved.open')}
      </button>
      {current?.mine && (
        <button type="button" className="btn btn-sm btn-danger-ghost" data-testid="wall-saved-delete" onClick={() => void remove()}>
          {t('wall.saved.delete')}
        </button>
      )}
      <button
        type="button"
        className="btn btn-sm"
        data-testid="wall-saved-save"
        onClick={() => {
          setName(current?.mine ? current.name : '');
          setError(null);
          setSaving(true);
        }}
      >
        {t('wall.saved.save')}
      </button>
      <button
        type="button"
        className="btn btn-sm"
        data-testid="wall-copy-link"
        onClick={() => {
          const url = `${window.location.origin}/wall${window.location.pathname.startsWith('/wall') ? window.location.search : ''}`;
          void navigator.clipboard?.writeText(url).then(() => setNote(t('wall.saved.copied')), () => undefined);
        }}
      >
        {t('wall.saved.copyLink')}
      </button>
      {note && (
        <span className="wall-tools-note" role="status">
          {note}
        </span>
      )}
      <Dialog
        open={saving}
        title={t('wall.saved.title')}
        onClose={() => setSaving(false)}
        testId="wall-save-dialog"
        footer={
          <button type="button" className="btn btn-primary" data-testid="wall-save-submit" disabled={!name.trim() || (shared && !stationId)} onClick={() => void save()}>
            {t('wall.saved.save')}
          </button>
        }
      >
        <label className="field">
          <span className="field-label">{t('wall.saved.name')}</span>
          <input type="text" data-testid="wall-save-name" maxLength={80} autoFocus value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        {canShare && (
          <>
            <label className="wall-save-check">
              <input type="checkbox" data-testid="wall-save-shared" checked={shared} onChange={(e) => setShared(e.target.checked)} /> {t('wall.saved.share')}
            </label>
            {shared && (
              <label className="field">
                <span className="field-label">{t('wall.saved.station')}</span>
                <select data-testid="wall-save-station" value={stationId} onChange={(e) => setStationId(e.target.value)}>
                  <option value="">{t('wall.fill.choose')}</option>
                  {org.stations.map((s) => (
                    <option key={s.id} value={s.id}>
                      {localName(s, i18n.language)}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </>
        )}
        {error && (
          <p className="field-error" role="alert" data-testid="wall-save-error">
            {error}
          </p>
        )}
      </Dialog>
    </fieldset>
  );
}
