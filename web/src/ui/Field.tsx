/** A labelled control with its hint and error line, for every form of the console. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** form.v.*, discovery.v.*, merchantEnroll.v.* are keys; anything else is a server message. */
export const isMessageKey = (msg: string): boolean => /^(form|discovery|merchantEnroll)\.v\.\w+$/.test(msg);

/** Client messages are i18n keys; server messages (problem+json) are shown as sent. */
export function useErrorText(): (msg: string) => string {
  const { t } = useTranslation();
  return (msg) => (isMessageKey(msg) ? t(msg) : msg);
}

interface Props {
  id: string;
  /** data-testid of the error line (default `<id>-error`). */
  errorTestId?: string;
  label: string;
  error?: string;
  hint?: string;
  required?: boolean;
  wide?: boolean;
  children: (a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}

export function Field({ id, label, error, hint, required, wide, errorTestId, children }: Props) {
  const errorText = useErrorText();
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
        <span className="field-error" id={`${id}-error`} data-testid={errorTestId ?? `${id}-error`} role="alert">
          {errorText(error)}
        </span>
      )}
    </div>
  );
}
