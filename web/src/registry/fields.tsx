/** Labelled inputs with their error line; data-testid="field-<name>" on the control. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormErrors, FormField } from './formModel';

interface FieldProps {
  name: FormField;
  label: string;
  errors: FormErrors;
  hint?: string;
  required?: boolean;
  wide?: boolean;
  children: (a11y: { id: string; 'data-testid': string; 'aria-invalid': boolean; 'aria-describedby'?: string; name: string }) => ReactNode;
}

/** Client messages are i18n keys (form.v.*); server messages are shown as sent. */
export function useErrorText() {
  const { t } = useTranslation();
  return (msg: string) => (msg.startsWith('form.v.') ? t(msg) : msg);
}

export function Field({ name, label, errors, hint, required, wide, children }: FieldProps) {
  const errorText = useErrorText();
  const id = `cf-${name}`;
  const error = errors[name];
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${wide ? ' field-wide' : ''}${error ? ' has-error' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
        {required && <span className="req" aria-hidden="true"> *</span>}
      </label>
      {children({ id, name, 'data-testid': `field-${name}`, 'aria-invalid': !!error, 'aria-describedby': describedBy })}
      {hint && !error && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`} data-testid={`field-error-${name}`} role="alert">
          {errorText(error)}
        </span>
      )}
    </div>
  );
}
