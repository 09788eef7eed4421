import { Role } from "../../../entities/enums";
import { forbidden, unauthenticated } from "../errors/domain-error";

/** Who is asking. Every service takes it explicitly; null is an anonymous caller. */
export interface Viewer {
  id: string;
  email: string;
  name: string;
  role: Role;
  departmentId: string | null;
  /** Set for a personal API token: no mutation, whatever the role. */
  readOnly?: boolean;
}

export function requireViewer(viewer: Viewer | null | undefined): Viewer {
  if (!viewer) throw unauthenticated();
  return viewer;
}

export function requireRole(viewer: Viewer | null | undefined, roles: readonly Role[]): Viewer {
  const v = requireViewer(viewer);
  if (!roles.includes(v.role)) throw forbidden();
  return v;
}

/** The rules every resolver and service share: who may do what. */
export const Rules = {
  readReferenceData: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER, Role.ANALYST, Role.ADMIN],
  readConstituents: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER, Role.ANALYST],
  writeConstituents: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER],
  mergeConstituents: [Role.INTAKE, Role.REVIEWER],
  recordContacts: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER],
  uploadAttachments: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER],
  readCallbacks: [Role.DEPARTMENT, Role.REVIEWER],
  readAssignments: [Role.DEPARTMENT, Role.REVIEWER, Role.ANALYST],
  workAssignments: [Role.DEPARTMENT, Role.REVIEWER],
  readDepartmentStaff: [Role.DEPARTMENT, Role.REVIEWER],
  readTimeline: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER, Role.ANALYST],
  transferAssignments: [Role.DEPARTMENT, Role.REVIEWER],
  addSupportingAssignments: [Role.DEPARTMENT, Role.REVIEWER],
  findDuplicateContacts: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER],
  linkDuplicateContacts: [Role.INTAKE, Role.DEPARTMENT, Role.REVIEWER],
  /** A department sees its own department's figures only. */
  readSlaReport: [Role.DEPARTMENT, Role.REVIEWER, Role.ANALYST, Role.ADMIN],
  readConsistencyFindings: [Role.REVIEWER, Role.ADMIN],
  reviewAssignments: [Role.REVIEWER, Role.ADMIN],
  readReviews: [Role.REVIEWER, Role.ADMIN, Role.ANALYST],
  readReviewMarks: [Role.DEPARTMENT, Role.REVIEWER, Role.ADMIN, Role.ANALYST],
  resolveReviewMarks: [Role.DEPARTMENT, Role.REVIEWER],
  /** Public records requests and the audit log: the City Manager's Office and administrators only. */
  handleRecordsRequests: [Role.REVIEWER, Role.ADMIN],
  readAuditLog: [Role.REVIEWER, Role.ADMIN],
  readAnalytics: [Role.REVIEWER, Role.ANALYST],
  useAnalystWorkspace: [Role.REVIEWER, Role.ANALYST],
  manageApiTokens: [Role.REVIEWER, Role.ANALYST],
  /** Open311 clients' keys: issued and revoked by administrators only. */
  manageApiKeys: [Role.ADMIN],
} as const satisfies Record<string, readonly Role[]>;
