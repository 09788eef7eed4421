import type { ReactNode } from "react";

export interface FieldA11y {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

interface FieldProps {
  id: string;
  label: ReactNode;
  error?: string | null;
  hint?: ReactNode;
  /** Extra ids to describe the input with (a live counter, say). */
  describedBy?: string[];
  optional?: boolean;
  className?: string;
  children: (a11y: FieldA11y) => ReactNode;
}

/** A label, the input, its hint and its error, wired together with aria-describedby. */
export function Field({
  id,
  label,
  error,
  hint,
  describedBy = [],
  optional,
  className,
  children,
}: FieldProps) {
  const ids = [hint ? `${id}-hint` : null, ...describedBy, error ? `${id}-error` : null].filter(Boolean);
  return (
    <div className={`field${error ? " field--invalid" : ""}${className ? ` ${className}` : ""}`}>
      <label htmlFor={id}>
        {label}
        {optional ? <span className="optional"> (optional)</span> : null}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {children({
        id,
        ...(ids.length ? { "aria-describedby": ids.join(" ") } : {}),
        ...(error ? { "aria-invalid": true as const } : {}),
      })}
      <FieldError id={id} error={error} />
    </div>
  );
}

export function FieldError({ id, error }: { id: string; error?: string | null }) {
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="field-error" role="alert">
      <span aria-hidden="true">⚠ </span>
      {error}
    </p>
  );
}

/** Problems that belong to no field on screen; focusable so that focus can land on them. */
export function FormErrors({ id, messages }: { id: string; messages: string[] }) {
  if (!messages.length) return null;
  return (
    <div id={id} className="form-errors" role="alert" tabIndex={-1}>
      {messages.length === 1 ? (
        <p>{messages[0]}</p>
      ) : (
        <ul>
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Moves focus to the first problem in a form (in reading order): an invalid input, or a list of problems. */
export function focusFirstProblem(form: HTMLElement | null): void {
  form?.querySelector<HTMLElement>('[aria-invalid="true"], .form-errors, [data-problem]')?.focus();
}
