import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { Category, Department, Role, StaffUser } from "../../entities";
import type { Viewer } from "../../src/server/auth/viewer";
import { toViewer } from "../../src/server/auth/sign-in.service";

let n = 0;
const seq = () => `${++n}${randomUUID().slice(0, 6)}`;

export async function makeDepartment(
  ds: DataSource,
  overrides: Partial<Department> = {},
): Promise<Department> {
  const s = seq();
  return ds.getRepository(Department).save(
    ds.getRepository(Department).create({
      code: `D${s}`.toUpperCase(),
      name: `Department ${s}`,
      email: `d${s}@city.example`,
      ...overrides,
    }),
  );
}

export async function makeCategory(ds: DataSource, overrides: Partial<Category> = {}): Promise<Category> {
  const s = seq();
  const departmentId = overrides.departmentId ?? (await makeDepartment(ds)).id;
  return ds.getRepository(Category).save(
    ds.getRepository(Category).create({
      code: `cat-${s}`,
      name: `Category ${s}`,
      nameEs: `Categoría ${s}`,
      departmentId,
      slaBusinessDays: 5,
      standardResponse: "Thank you for your report {referenceNumber}.",
      standardResponseEs: "Gracias por su reporte {referenceNumber}.",
      open311ServiceCode: `S${s}`,
      ...overrides,
    }),
  );
}

export async function makeStaff(
  ds: DataSource,
  role: Role,
  overrides: Partial<StaffUser> = {},
): Promise<StaffUser & { viewer: Viewer }> {
  const s = seq();
  const departmentId =
    overrides.departmentId !== undefined
      ? overrides.departmentId
      : role === Role.DEPARTMENT
        ? (await makeDepartment(ds)).id
        : null;
  const user = await ds.getRepository(StaffUser).save(
    ds.getRepository(StaffUser).create({
      email: `${role.toLowerCase()}-${s}@star.test`,
      name: `${role} ${s}`,
      role,
      active: true,
      ...overrides,
      departmentId,
    }),
  );
  return Object.assign(user, { viewer: toViewer(user) });
}

/** One staff member per role, plus a department with a category routed to it. */
export async function makeCity(ds: DataSource) {
  const streets = await makeDepartment(ds, {
    code: `STREETS${seq()}`.toUpperCase(),
    name: "Street Maintenance",
    nameEs: "Mantenimiento de Calles",
  });
  const water = await makeDepartment(ds, { name: "Water Services" });
  const pothole = await makeCategory(ds, { name: "Pothole", departmentId: streets.id, slaBusinessDays: 5 });
  const leak = await makeCategory(ds, { name: "Water leak", departmentId: water.id, slaBusinessDays: 2 });
  const intake = await makeStaff(ds, Role.INTAKE);
  const streetsStaff = await makeStaff(ds, Role.DEPARTMENT, { departmentId: streets.id });
  const waterStaff = await makeStaff(ds, Role.DEPARTMENT, { departmentId: water.id });
  const reviewer = await makeStaff(ds, Role.REVIEWER);
  const analyst = await makeStaff(ds, Role.ANALYST);
  const admin = await makeStaff(ds, Role.ADMIN);
  return { streets, water, pothole, leak, intake, streetsStaff, waterStaff, reviewer, analyst, admin };
}
