import type { ReactNode } from "react";
import { translate, type Lang, type MessageKey } from "../../i18n";
import type { FieldA11y } from "../field";

interface PublicFieldProps {
  id: string;
  lang: Lang;
  label: ReactNode;
  hint?: ReactNode;
  error?: MessageKey | null;
  describedBy?: string[];
  optional?: boolean;
  required?: boolean;
  children: (a11y: FieldA11y) => ReactNode;
}

/** As the staff Field, with the error and the optional/required mark in the page's language. */
export function PublicField({
  id,
  lang,
  label,
  hint,
  error,
  describedBy = [],
  optional,
  required,
  children,
}: PublicFieldProps) {
  const ids = [hint ? `${id}-hint` : null, ...describedBy, error ? `${id}-error` : null].filter(Boolean);
  return (
    <div className={`field${error ? " field--invalid" : ""}`}>
      <label htmlFor={id}>
        {label}
        {optional ? <span className="optional"> {translate(lang, "optional")}</span> : null}
        {required ? <span className="optional"> {translate(lang, "required")}</span> : null}
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
      {error ? (
        <p id={`${id}-error`} className="field-error">
          <span aria-hidden="true">⚠ </span>
          {translate(lang, error)}
        </p>
      ) : null}
    </div>
  );
}
