/** Yes/no confirmation, optionally asking for a reason (enrollment changes). */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from './Dialog';

interface Props {
  open: boolean;
  title: string;
  message?: string;
  confirmLabel: string;
  danger?: boolean;
  reasonLabel?: string;
  busy?: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
  /** Shown above the message (e.g. a camera preview). */
  children?: ReactNode;
}

export function ConfirmDialog({ open, title, message, confirmLabel, danger, reasonLabel, busy, onConfirm, onCancel, children }: Props) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const cancel = () => {
    setReason('');
    onCancel();
  };
  return (
    <Dialog
      open={open}
      title={title}
      onClose={cancel}
      testId="confirm-dialog"
      footer={
        <>
          <button type="button" className="btn" onClick={cancel} data-testid="confirm-cancel">
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className={danger ? 'btn btn-danger' : 'btn btn-primary'}
            data-testid="confirm-ok"
            disabled={busy}
            onClick={() => {
              onConfirm(reason.trim());
              setReason('');
            }}
          >
            {confirmLabel}
          </button>
        </>
      }
    >
      {children}
      {message && <p>{message}</p>}
      {reasonLabel && (
        <label className="field field-wide">
          <span className="field-label">{reasonLabel}</span>
          <textarea data-testid="confirm-reason" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
    </Dialog>
  );
}
