/** Fill the wall in one action from a station, patrol zone, grid, tag or saved wall. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { camerasOfGroup, type SavedWall } from '@web/api/walls';
import type { Org } from '@web/api/types';
import { localName } from '@web/i18n/language';

type By = 'station' | 'zone' | 'grid' | 'tag' | 'saved';
const KINDS: By[] = ['station', 'zone', 'grid', 'tag', 'saved'];

interface Props {
  org: Org;
  saved: readonly SavedWall[];
  onFill: (cameraIds: string[]) => void;
  onOpenSaved: (wall: SavedWall) => void;
}

export function FillControl({ org, saved, onFill, onOpenSaved }: Props) {
  const { t, i18n } = useTranslation();
  const [by, setBy] = useState<By>('station');
  const [value, setValue] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const options: Array<{ id: string; label: string }> =
    by === 'station'
      ? org.stations.map((u) => ({ id: u.id, label: localName(u, i18n.language) }))
      : by === 'zone'
        ? org.patrolZones.map((u) => ({ id: u.id, label: localName(u, i18n.language) }))
        : by === 'grid'
          ? org.grids.map((u) => ({ id: u.id, label: localName(u, i18n.language) }))
          : by === 'saved'
            ? saved.map((s) => ({ id: s.id, label: s.name }))
            : [];

  const apply = async () => {
    if (!value.trim()) return;
    setNote(null);
    if (by === 'saved') {
      const wall = saved.find((s) => s.id === value);
      if (wall) onOpenSaved(wall);
      return;
    }
    setBusy(true);
    try {
      const ids = await camerasOfGroup(by === 'tag' ? { by, tag: value.trim() } : { by, id: value });
      if (ids.length === 0) setNote(t('wall.fill.none'));
      else {
        onFill(ids);
        setNote(t('wall.fill.done', { count: ids.length }));
      }
    } catch {
      setNote(t('error.generic'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <fieldset data-testid="wall-fill">
      <legend>{t('wall.fill.label')}</legend>
      <select
        aria-label={t('wall.fill.label')}
        data-testid="wall-fill-by"
        value={by}
        onChange={(e) => {
          setBy(e.target.value as By);
          setValue('');
        }}
      >
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`wall.fill.${k}`)}
          </option>
        ))}
      </select>
      {by === 'tag' ? (
        <input type="text" data-testid="wall-fill-tag" aria-label={t('wall.fill.tag')} placeholder={t('wall.fill.tagPlaceholder')} value={value} maxLength={64} onChange={(e) => setValue(e.target.value)} />
      ) : (
        <select aria-label={t(`wall.fill.${by}`)} data-testid="wall-fill-value" value={value} onChange={(e) => setValue(e.target.value)}>
          <option value="">{t('wall.fill.choose')}</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
      )}
      <button type="button" className="btn btn-sm" data-testid="wall-fill-apply" disabled={busy || !value.trim()} onClick={() => void apply()}>
        {t('wall.fill.apply')}
      </button>
      {note && (
        <span className="wall-tools-note" role="status">
          {note}
        </span>
      )}
    </fieldset>
  );
}
