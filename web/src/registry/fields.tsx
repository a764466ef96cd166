/** Labelled inputs with their error line; data-testid="field-<name>" on the control. */
import type { ReactNode } from 'react';
import { Field as UiField } from '@web/ui/Field';
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

export function Field({ name, label, errors, hint, required, wide, children }: FieldProps) {
  return (
    <UiField id={`cf-${name}`} label={label} error={errors[name]} hint={hint} required={required} wide={wide} errorTestId={`field-error-${name}`}>
      {(a11y) => children({ ...a11y, name, 'data-testid': `field-${name}` })}
    </UiField>
  );
}
