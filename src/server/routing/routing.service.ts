import type { DataSource, EntityManager } from "typeorm";
import { Category, Department } from "../../../entities";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { dueDate, type BusinessCalendar } from "./business-days";
import { cityCalendar } from "./city-calendar";

export interface Route {
  departmentId: string;
  dueAt: Date;
}

/** A category routes to its department; the due date counts the category's SLA in city business days. */
export function route(
  category: Pick<Category, "departmentId" | "slaBusinessDays">,
  receivedAt: Date,
  cal: BusinessCalendar = cityCalendar(),
): Route {
  return { departmentId: category.departmentId, dueAt: dueDate(receivedAt, category.slaBusinessDays, cal) };
}

export async function listDepartments(ds: DataSource, viewer: Viewer | null): Promise<Department[]> {
  requireRole(viewer, Rules.readReferenceData);
  return ds.getRepository(Department).find({ order: { name: "ASC" } });
}

export async function listCategories(ds: DataSource | EntityManager, viewer: Viewer | null): Promise<Category[]> {
  requireRole(viewer, Rules.readReferenceData);
  return ds.getRepository(Category).find({ where: { active: true }, relations: { department: true }, order: { name: "ASC" } });
}
