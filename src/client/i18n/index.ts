import { en, type MessageKey, type Messages } from "./en";
import { es } from "./es";

export type Lang = "en" | "es";
export type { MessageKey, Messages };

export const MESSAGES: Record<Lang, Messages> = { en, es };

/** Text for `key` in `lang`, with {name} placeholders filled in. */
export function translate(lang: Lang, key: MessageKey, values: Record<string, string | number> = {}): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (m, name: string) =>
    name in values ? String(values[name]) : m,
  );
}

/** The page path in the other language: Spanish pages live under /es. */
export function pathIn(lang: Lang, path: string): string {
  const bare = path.replace(/^\/es(?=\/|$)/, "") || "/";
  return lang === "es" ? `/es${bare === "/" ? "" : bare}` : bare;
}

/** The Language enum value the API takes. */
export const API_LANGUAGE: Record<Lang, "EN" | "ES"> = { en: "EN", es: "ES" };
