import { useId, type ReactElement, type ReactNode, cloneElement } from 'react';

interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  /** One input, select or textarea: it gets the id, aria-invalid and aria-describedby. */
  children: ReactElement<Record<string, unknown>>;
  extra?: ReactNode;
}

export function Field({ label, hint, error, children, extra }: FieldProps) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <div className="row">
        <label htmlFor={id} className="field-label">
          {label}
        </label>
        {extra}
      </div>
      {cloneElement(children, { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <div id={`${id}-hint`} className="muted small">
          {hint}
        </div>
      )}
      {error && (
        <div id={`${id}-err`} className="field-error">
          {error}
        </div>
      )}
    </div>
  );
}
