/** A labelled control with its error line (client messages are i18n keys, server messages shown as sent). */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** form.v.*, discovery.v.*, merchantEnroll.v.* are keys; anything else is a server message. */
export const isMessageKey = (msg: string): boolean => /^(form|discovery|merchantEnroll)\.v\.\w+$/.test(msg);

interface Props {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
  wide?: boolean;
  children: (a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}

export function Field({ id, label, error, hint, required, wide, children }: Props) {
  const { t } = useTranslation();
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${wide ? ' field-wide' : ''}${error ? ' has-error' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
        {required && <span className="req" aria-hidden="true"> *</span>}
      </label>
      {children({ id, 'aria-invalid': !!error, 'aria-describedby': describedBy })}
      {hint && !error && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`} data-testid={`${id}-error`} role="alert">
          {isMessageKey(error) ? t(error) : error}
        </span>
      )}
    </div>
  );
}
