/** Acknowledge one alarm with an optional note (kept in the audit log). */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Alarm } from '@common/alarms';
import { Dialog } from '@web/ui/Dialog';
import { useToasts } from '@web/ui/Toasts';
import { useAlarms } from './AlarmsProvider';

interface Props {
  alarm: Alarm | null;
  onClose(): void;
  onDone(): void;
}

export const NOTE_MAX = 1000;

export function AckDialog({ alarm, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const toasts = useToasts();
  const { acknowledge } = useAlarms();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => setNote(''), [alarm?.id]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!alarm) return;
    setBusy(true);
    try {
      await acknowledge(alarm.id, note.replace(/\s+/g, ' '));
      toasts.show('success', t('alarms.acked'));
      onDone();
      onClose();
    } catch (err) {
      toasts.error(err);
      onDone();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={alarm !== null}
      title={t('alarms.ackTitle', { camera: alarm?.cameraName ?? '' })}
      onClose={onClose}
      testId="alarm-ack-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" form="alarm-ack-form" className="btn btn-primary" disabled={busy} data-testid="alarm-ack-submit">
            {t('alarms.acknowledge')}
          </button>
        </>
      }
    >
      <form id="alarm-ack-form" onSubmit={(e) => void submit(e)}>
        <label className="field-label" htmlFor="alarm-note">
          {t('alarms.note')}
        </label>
        <textarea id="alarm-note" rows={3} maxLength={NOTE_MAX} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('alarms.notePlaceholder')} data-testid="alarm-note" />
      </form>
    </Dialog>
  );
}
