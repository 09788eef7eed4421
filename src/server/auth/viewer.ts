import { Role } from "../../../entities/enums";
import { forbidden, unauthenticated } from "../errors/domain-error";

/** Who is asking. Every service takes it explicitly; null is an anonymous caller. */
export interface Viewer {
  id: string;
  email: string;
  name: string;
  role: Role;
  departmentId: string | null;
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
} as const satisfies Record<string, readonly Role[]>;
