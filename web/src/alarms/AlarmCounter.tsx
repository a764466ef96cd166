/** The header's alarm counter: open (unacknowledged) alarms; a click opens the alarm list. */
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAlarms } from './AlarmsProvider';

export const ALARMS_PATH = '/alarms';

export function AlarmCounter({ onNavigate }: { onNavigate: (path: string) => void }) {
  const { t } = useTranslation();
  const { open } = useAlarms();
  const n = open.length;
  const go = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    onNavigate(ALARMS_PATH);
  };
  return (
    <a href={ALARMS_PATH} className={n > 0 ? 'alarm-counter active' : 'alarm-counter'} onClick={go} data-testid="alarm-counter" data-count={n} aria-label={t('alarms.counter', { count: n })}>
      <span aria-hidden="true">🔔</span>
      <span className="alarm-counter-n">{n}</span>
    </a>
  );
}
