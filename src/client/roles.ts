/** What the portal offers each role; the API enforces the same rules (src/server/auth/viewer.ts Rules). */
export const RECORDING_ROLES: readonly string[] = ["INTAKE", "DEPARTMENT", "REVIEWER"];
export const READING_ROLES: readonly string[] = ["INTAKE", "DEPARTMENT", "REVIEWER", "ANALYST"];

export const mayRecordContacts = (role: string | undefined) => !!role && RECORDING_ROLES.includes(role);
export const mayReadConstituents = (role: string | undefined) => !!role && READING_ROLES.includes(role);
export const QUEUE_ROLES: readonly string[] = ["DEPARTMENT", "REVIEWER", "ANALYST"];
export const mayReadQueue = (role: string | undefined) => !!role && QUEUE_ROLES.includes(role);
/** Analysts read the queue; only departments and the City Manager's Office change it. */
export const mayWorkQueue = (role: string | undefined) => role === "DEPARTMENT" || role === "REVIEWER";
/** The weekly review: the City Manager's Office and administrators mark; analysts read. */
export const REVIEW_ROLES: readonly string[] = ["REVIEWER", "ADMIN"];
export const mayReview = (role: string | undefined) => !!role && REVIEW_ROLES.includes(role);
export const mayReadReviews = (role: string | undefined) => mayReview(role) || role === "ANALYST";
/** The five-day figures: departments see their own; the menu offers them to the city-wide roles. */
export const REPORT_ROLES: readonly string[] = ["DEPARTMENT", "REVIEWER", "ADMIN", "ANALYST"];
export const mayReadReports = (role: string | undefined) => !!role && REPORT_ROLES.includes(role);
export const showReportsInMenu = (role: string | undefined) => mayReadReports(role) && role !== "DEPARTMENT";
/** The analyst workspace (GraphiQL, saved queries, API tokens): analysts and the City Manager's Office. */
export const mayUseAnalystWorkspace = (role: string | undefined) => role === "ANALYST" || role === "REVIEWER";
