import type { DataSource, EntityManager } from "typeorm";
import { Role, StaffUser } from "../../../entities";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { forbidden } from "../errors/domain-error";
import { uuid } from "../validation/validate";

/**
 * The colleagues an assignment can be given to: active DEPARTMENT staff of one department, by name.
 * Department staff may list only their own department; the City Manager's Office any.
 */
export async function departmentStaff(
  ds: DataSource | EntityManager,
  viewer: Viewer | null,
  departmentId: string,
): Promise<StaffUser[]> {
  const v = requireRole(viewer, Rules.readDepartmentStaff);
  const id = uuid("departmentId", departmentId);
  if (v.role === Role.DEPARTMENT && v.departmentId !== id) {
    throw forbidden("You may only list the staff of your own department");
  }
  return ds.getRepository(StaffUser).find({
    where: { departmentId: id, role: Role.DEPARTMENT, active: true },
    order: { name: "ASC", id: "ASC" },
  });
}
