import type { DataSource, EntityManager } from "typeorm";
import { Category, Department } from "../../../entities";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { badInput } from "../errors/domain-error";
import { uuid } from "../validation/validate";
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

export async function listCategories(
  ds: DataSource | EntityManager,
  viewer: Viewer | null,
): Promise<Category[]> {
  requireRole(viewer, Rules.readReferenceData);
  return ds
    .getRepository(Category)
    .find({ where: { active: true }, relations: { department: true }, order: { name: "ASC" } });
}

export interface RoutePreview {
  category: Category;
  department: Department;
  dueAt: Date;
}

/** What the intake form shows before saving: where a category goes and when it will be due. */
export async function previewRoute(
  ds: DataSource,
  viewer: Viewer | null,
  categoryId: string,
  receivedAt: Date | null,
): Promise<RoutePreview> {
  requireRole(viewer, Rules.recordContacts);
  const id = uuid("categoryId", categoryId);
  const category = await ds
    .getRepository(Category)
    .findOne({ where: { id, active: true }, relations: { department: true } });
  if (!category) throw badInput("categoryId", "no such active category");
  const at = receivedAt ?? new Date();
  return { category, department: category.department!, dueAt: route(category, at).dueAt };
}
