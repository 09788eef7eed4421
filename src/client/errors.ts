import { CombinedGraphQLErrors, ServerError } from "@apollo/client";

export interface ApiProblem {
  /** Messages keyed by the input field the API named (extensions.field). */
  fields: Record<string, string>;
  /** Anything not tied to one field. */
  form: string | null;
  code: string | null;
  extensions: Record<string, unknown>;
}

const GENERIC: Record<string, string> = {
  UNAUTHENTICATED: "Your session has ended. Sign in again to continue.",
  FORBIDDEN: "Your role does not allow this.",
  INTERNAL_SERVER_ERROR: "Something went wrong on the server. Try again; if it keeps happening, tell IT.",
};

/** The API says "field: message"; next to the field, the field's name is already on screen. */
export function withoutFieldPrefix(message: string, field: string): string {
  const prefix = `${field}: `;
  const text = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Turns what Apollo throws into messages for the form: per field where the API named one. */
export function apiProblem(error: unknown): ApiProblem {
  const problem: ApiProblem = { fields: {}, form: null, code: null, extensions: {} };
  if (CombinedGraphQLErrors.is(error)) {
    for (const e of error.errors) {
      const ext = (e.extensions ?? {}) as Record<string, unknown>;
      const code = typeof ext.code === "string" ? ext.code : null;
      problem.code ??= code;
      problem.extensions = { ...ext, ...problem.extensions };
      const field = typeof ext.field === "string" ? ext.field : null;
      if (field && !problem.fields[field]) problem.fields[field] = withoutFieldPrefix(e.message, field);
      else if (!field) problem.form ??= (code && GENERIC[code]) || e.message;
    }
    return problem;
  }
  if (ServerError.is(error) && error.statusCode === 401) {
    return { ...problem, code: "UNAUTHENTICATED", form: GENERIC.UNAUTHENTICATED };
  }
  return {
    ...problem,
    form: "The server could not be reached. Check the connection and try again.",
  };
}

/** Lets a screen list every problem even when a field it names is not on screen. */
export function problemMessages(problem: ApiProblem, shownFields: readonly string[]): string[] {
  const hidden = Object.entries(problem.fields)
    .filter(([f]) => !shownFields.includes(f))
    .map(([, m]) => m);
  return [...(problem.form ? [problem.form] : []), ...hidden];
}

/** The same problem without the named fields' messages (the clerk is fixing them). */
export function clearFields(problem: ApiProblem | null, ...names: string[]): ApiProblem | null {
  if (!problem || !names.some((n) => n in problem.fields)) return problem;
  const fields = Object.fromEntries(Object.entries(problem.fields).filter(([k]) => !names.includes(k)));
  return { ...problem, fields };
}
