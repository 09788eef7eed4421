/** What the portal offers each role; the API enforces the same rules (src/server/auth/viewer.ts Rules). */
export const RECORDING_ROLES: readonly string[] = ["INTAKE", "DEPARTMENT", "REVIEWER"];
export const READING_ROLES: readonly string[] = ["INTAKE", "DEPARTMENT", "REVIEWER", "ANALYST"];

export const mayRecordContacts = (role: string | undefined) => !!role && RECORDING_ROLES.includes(role);
export const mayReadConstituents = (role: string | undefined) => !!role && READING_ROLES.includes(role);
export const QUEUE_ROLES: readonly string[] = ["DEPARTMENT", "REVIEWER", "ANALYST"];
export const mayReadQueue = (role: string | undefined) => !!role && QUEUE_ROLES.includes(role);
/** Analysts read the queue; only departments and the City Manager's Office change it. */
export const mayWorkQueue = (role: string | undefined) => role === "DEPARTMENT" || role === "REVIEWER";
