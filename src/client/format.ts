export interface PersonName {
  firstName?: string | null;
  lastName?: string | null;
  organization?: string | null;
}

export interface PostalAddress {
  addressLine1?: string | null;
  addressLine2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
}

export function displayName(p: PersonName): string {
  const name = [p.firstName, p.lastName].filter(Boolean).join(" ");
  if (name && p.organization) return `${name} (${p.organization})`;
  return name || p.organization || "(no name)";
}

export function formatAddress(a: PostalAddress): string {
  const cityLine = [a.city, [a.state, a.postalCode].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  return [a.addressLine1, a.addressLine2, cityLine].filter(Boolean).join(", ");
}

/** "+16025550142" -> "(602) 555-0142"; other numbers stay as stored. */
export function formatPhone(e164: string | null | undefined): string {
  if (!e164) return "";
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export function formatPercent(score: number): string {
  return `${Math.round(Math.max(0, Math.min(1, score)) * 100)}%`;
}

export const CHANNEL_LABELS: Record<string, string> = {
  PHONE: "Phone",
  LETTER: "Letter",
  EMAIL: "Email",
  FAX: "Fax",
  IN_PERSON: "In person",
  VOICEMAIL: "Voicemail (24-hour line)",
  WEB: "Web form",
  OPEN311: "311 app (Open311)",
};

export const CHANNELS = Object.keys(CHANNEL_LABELS);

export const RESPONSE_CHANNEL_LABELS: Record<string, string> = {
  PHONE: "Phone",
  LETTER: "Letter",
  EMAIL: "Email",
  IN_PERSON: "In person",
  WEB: "Web",
};

export const LANGUAGE_LABELS: Record<string, string> = { EN: "English", ES: "Spanish (Español)" };

export const ROLE_LABELS: Record<string, string> = {
  INTAKE: "Intake",
  DEPARTMENT: "Department staff",
  REVIEWER: "City Manager's Office",
  ANALYST: "Analyst",
  ADMIN: "Administrator",
};

export const STATUS_LABELS: Record<string, string> = {
  OPEN: "Open",
  IN_PROGRESS: "In progress",
  CLOSED: "Closed",
  COMPLETED: "Completed",
  TRANSFERRED: "Transferred",
  CANCELLED: "Cancelled",
};

export const label = (labels: Record<string, string>, value: string | null | undefined): string =>
  value ? (labels[value] ?? value) : "";
