import { config } from "../config/config";

/** The city's letterhead, from configuration: the city's name is a setting, never written into code. */
export interface Letterhead {
  cityName: string;
  address: string | null;
  phone: string | null;
  timeZone: string;
}

export function letterhead(): Letterhead {
  const c = config();
  return {
    cityName: c.STAR_CITY_NAME,
    address: c.STAR_CITY_ADDRESS ?? null,
    phone: c.STAR_CITY_PHONE ?? null,
    timeZone: c.STAR_TIME_ZONE,
  };
}

/** The fixed wording of a letter, per language. */
export const LETTER_TEXT = {
  en: {
    reference: "Reference",
    salutation: (name: string | null) => (name ? `Dear ${name},` : "Dear resident,"),
    closing: "Sincerely,",
    phone: "Phone",
  },
  es: {
    reference: "Referencia",
    salutation: (name: string | null) => (name ? `Estimado/a ${name}:` : "Estimado/a residente:"),
    closing: "Atentamente,",
    phone: "Teléfono",
  },
} as const;

export type LetterLanguage = keyof typeof LETTER_TEXT;
