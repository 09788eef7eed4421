import type { DataSource, EntityManager } from "typeorm";
import {
  Assignment,
  AssignmentStatus,
  Category,
  Channel,
  Constituent,
  Contact,
  Department,
  Language,
  Response,
  ResponseChannel,
  ResponseKind,
  Role,
  StaffUser,
} from "../../../../entities";
import { hashPassword } from "../../auth/password";
import { config } from "../../config/config";
import { logger } from "../../logging/logger";
import { progress } from "../../logging/progress";
import { addDays, localDate, zonedInstant, isBusinessDay } from "../../routing/business-days";
import { cityCalendar } from "../../routing/city-calendar";
import { route } from "../../routing/routing.service";
import { textKey } from "../../search/text-key";
import { DEMO_CATEGORIES, DEMO_DEPARTMENTS } from "./demo-catalog";
import { seedDemoOpen311 } from "./demo-open311";
import {
  DESCRIPTION_TEMPLATES,
  FIRST_NAMES_EN,
  FIRST_NAMES_ES,
  LAST_NAMES,
  ORGANIZATIONS,
  STREET_NAMES,
} from "./demo-people";
import { seededRandom } from "./random";

export const DEMO_ACCOUNTS = [
  { email: "intake@star.local", name: "Irene Intake", role: Role.INTAKE, department: null },
  { email: "streets@star.local", name: "Sam Streets", role: Role.DEPARTMENT, department: "STREETS" },
  { email: "water@star.local", name: "Wendy Water", role: Role.DEPARTMENT, department: "WATER" },
  {
    email: "cmo@star.local",
    name: "Carmen Ortiz (City Manager's Office)",
    role: Role.REVIEWER,
    department: "CMO",
  },
  { email: "analyst@star.local", name: "Andy Analyst", role: Role.ANALYST, department: null },
  { email: "admin@star.local", name: "Ada Admin", role: Role.ADMIN, department: null },
] as const;

/** A record every walkthrough can find: search "Maria Hernandes" or (602) 555-0142. */
export const DEMO_KNOWN_CONSTITUENT = {
  firstName: "María",
  lastName: "Hernández",
  email: "maria.hernandez@example.com",
  phone: "+16025550142",
  addressLine1: "1420 W Roosevelt St",
  city: "Phoenix",
  state: "AZ",
  postalCode: "85007",
  preferredLanguage: Language.ES,
};

export interface SeedOptions {
  password: string;
  constituents?: number;
  seed?: number;
}

const CHUNK = 500;

async function insertChunks<T extends object>(
  em: EntityManager,
  entity: new () => T,
  rows: T[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await em.insert(entity, rows.slice(i, i + CHUNK) as never);
}

/** Loads a realistic demo city once: departments, categories, the demo accounts, constituents with histories. */
export async function seedDemoData(ds: DataSource, opts: SeedOptions): Promise<boolean> {
  if ((await ds.getRepository(Department).count()) > 0) {
    logger.info("demo data already present; not seeding");
    return false;
  }
  const rnd = seededRandom(opts.seed ?? 311);
  const total = opts.constituents ?? 300;
  const cal = cityCalendar();
  const tz = config().STAR_TIME_ZONE;
  const bar = progress("Seeding demo data", total);
  const now = new Date();

  await ds.transaction(async (em) => {
    const departments = await em.getRepository(Department).save(
      DEMO_DEPARTMENTS.map((d) =>
        em.create(Department, {
          code: d.code,
          name: d.name,
          nameEs: d.nameEs,
          email: d.email,
          active: true,
        }),
      ),
    );
    const deptByCode = new Map(departments.map((d) => [d.code, d]));
    const categories = await em.getRepository(Category).save(
      DEMO_CATEGORIES.map((c) =>
        em.create(Category, {
          code: c.code,
          name: c.nameEn,
          nameEs: c.nameEs,
          description: c.descriptionEn,
          descriptionEs: c.descriptionEs,
          departmentId: deptByCode.get(c.departmentCode)!.id,
          slaBusinessDays: c.slaBusinessDays,
          standardResponse: c.standardResponseEn,
          standardResponseEs: c.standardResponseEs,
          open311ServiceCode: c.open311ServiceCode,
          keywords: c.keywords,
          active: true,
        }),
      ),
    );

    const accounts: StaffUser[] = [];
    for (const a of DEMO_ACCOUNTS) {
      accounts.push(
        em.create(StaffUser, {
          email: a.email,
          name: a.name,
          role: a.role,
          departmentId: a.department ? deptByCode.get(a.department)!.id : null,
          passwordHash: await hashPassword(opts.password),
          active: true,
        }),
      );
    }
    // Colleagues who sign in through the city's single sign-on only (no password).
    for (const d of departments) {
      for (let i = 0; i < 2; i++) {
        const first = rnd.pick(FIRST_NAMES_EN);
        const last = rnd.pick(LAST_NAMES);
        accounts.push(
          em.create(StaffUser, {
            email: `${textKey(first).replace(/\W/g, "")}.${textKey(last).replace(/\W/g, "")}.${d.code.toLowerCase()}${i}@city.example`,
            name: `${first} ${last}`,
            role: Role.DEPARTMENT,
            departmentId: d.id,
            passwordHash: null,
            active: true,
          }),
        );
      }
    }
    const staff = await em.getRepository(StaffUser).save(accounts);
    await seedDemoOpen311(em, staff.find((s) => s.email === "admin@star.local")!.id);
    const intakeStaff = staff.filter((s) => s.role === Role.INTAKE);
    const staffByDept = new Map<string, StaffUser[]>();
    for (const s of staff)
      if (s.departmentId) staffByDept.set(s.departmentId, [...(staffByDept.get(s.departmentId) ?? []), s]);

    const people: Constituent[] = [];
    for (let i = 0; i < total; i++) {
      const spanish = i === 0 || rnd.chance(0.3);
      const base =
        i === 0
          ? DEMO_KNOWN_CONSTITUENT
          : {
              firstName: rnd.pick(spanish ? FIRST_NAMES_ES : FIRST_NAMES_EN),
              lastName: rnd.pick(LAST_NAMES),
              email: null as string | null,
              phone: null as string | null,
              addressLine1: `${rnd.int(100, 9999)} ${rnd.pick(STREET_NAMES)}`,
              city: "Phoenix",
              state: "AZ",
              postalCode: String(rnd.int(85003, 85099)),
              preferredLanguage: spanish ? Language.ES : Language.EN,
            };
      if (i > 0) {
        const handle = textKey(base.firstName, base.lastName).replace(/ /g, ".");
        if (rnd.chance(0.7)) base.email = `${handle}${rnd.int(1, 99)}@example.com`;
        if (rnd.chance(0.85))
          base.phone = `+1${rnd.pick(["602", "480", "623", "520"])}555${String(rnd.int(0, 9999)).padStart(4, "0")}`;
      }
      const organization = i > 0 && rnd.chance(0.06) ? rnd.pick(ORGANIZATIONS) : null;
      people.push(
        em.create(Constituent, {
          ...base,
          organization,
          addressLine2: null,
          preferredChannel: base.email && rnd.chance(0.5) ? Channel.EMAIL : Channel.PHONE,
          outreachConsent: rnd.chance(0.3) ? { parks: true, "public-safety": rnd.chance(0.5) } : {},
          nameKey: textKey(base.firstName, base.lastName, organization),
          addressKey: textKey(base.addressLine1, null, base.city, base.postalCode),
          createdById: rnd.pick(intakeStaff).id,
          createdAt: new Date(now.getTime() - rnd.int(150, 400) * 86_400_000),
        }),
      );
    }
    await insertChunks(em, Constituent, people);

    const contacts: Contact[] = [];
    const assignments: Assignment[] = [];
    const responses: Response[] = [];
    const channels = [
      Channel.PHONE,
      Channel.PHONE,
      Channel.EMAIL,
      Channel.WEB,
      Channel.LETTER,
      Channel.VOICEMAIL,
      Channel.IN_PERSON,
      Channel.FAX,
      Channel.OPEN311,
    ];
    const pending: { contact: Contact; category: Category; person: Constituent | null }[] = [];
    const addContact = (person: Constituent | null, index: number) => {
      const category =
        index === 0 && person === people[0]
          ? categories.find((c) => c.code === "water-leak")!
          : rnd.pick(categories);
      const lang = person?.preferredLanguage ?? (rnd.chance(0.3) ? Language.ES : Language.EN);
      const templates = DESCRIPTION_TEMPLATES[category.code];
      const street = `${rnd.int(100, 9999)} ${rnd.pick(STREET_NAMES)}`;
      const description = rnd
        .pick(lang === Language.ES ? templates.es : templates.en)
        .replaceAll("{street}", street);
      const receivedAt = new Date(now.getTime() - rnd.int(1, 180 * 24) * 3_600_000);
      const contact = em.create(Contact, {
        id: crypto.randomUUID(),
        channel: rnd.pick(channels),
        receivedAt,
        enteredAt: new Date(receivedAt.getTime() + rnd.int(1, 600) * 60_000),
        enteredById: rnd.pick(intakeStaff).id,
        categoryId: category.id,
        description,
        locationAddress: templates && description.includes(street) ? street : null,
        constituentId: person?.id ?? null,
        confidential: person === null,
        language: lang,
        duplicateOfId: null,
        publicRecordNoticeGiven: rnd.chance(0.8),
      });
      if (contact.enteredAt > now) contact.enteredAt = now;
      pending.push({ contact, category, person });
    };
    people.forEach((person, i) => {
      const n = i === 0 ? 3 : rnd.int(0, 6);
      for (let k = 0; k < n; k++) addContact(person, k);
      bar.tick(i + 1);
    });
    for (let i = 0; i < Math.ceil(total / 20); i++) addContact(null, 1);

    const refs: { n: string }[] = await em.query(
      `SELECT nextval('contact_reference_seq') AS n FROM generate_series(1, $1)`,
      [pending.length],
    );
    pending.sort((a, b) => a.contact.receivedAt.getTime() - b.contact.receivedAt.getTime());
    pending.forEach(({ contact, category, person }, i) => {
      const yy = localDate(contact.enteredAt, tz).slice(2, 4);
      contact.referenceNumber = `${config().STAR_REFERENCE_PREFIX}-${yy}-${String(refs[i].n).padStart(6, "0")}`;
      contacts.push(contact);
      const { departmentId, dueAt } = route(category, contact.receivedAt, cal);
      const team = staffByDept.get(departmentId) ?? [];
      const ageDays = (now.getTime() - contact.receivedAt.getTime()) / 86_400_000;
      const done = ageDays > 3 && rnd.chance(Math.min(0.95, ageDays / 20));
      const assignment = em.create(Assignment, {
        id: crypto.randomUUID(),
        contactId: contact.id,
        departmentId,
        isLead: true,
        status: done
          ? AssignmentStatus.COMPLETED
          : rnd.chance(0.4)
            ? AssignmentStatus.IN_PROGRESS
            : AssignmentStatus.OPEN,
        assigneeId: team.length && rnd.chance(0.8) ? rnd.pick(team).id : null,
        assignedAt: contact.enteredAt,
        dueAt,
        completedAt: null,
      });
      if (assignment.status === AssignmentStatus.OPEN) assignment.assigneeId = null;
      if (done) {
        // Most answers land within five business days; some are late, as in any city.
        let day = localDate(contact.receivedAt, tz);
        let left = rnd.chance(0.85) ? rnd.int(0, 4) : rnd.int(5, 12);
        while (left > 0) {
          day = addDays(day, 1);
          if (isBusinessDay(day, cal)) left--;
        }
        let completedAt = zonedInstant(day, rnd.int(9, 16), tz);
        if (completedAt <= contact.enteredAt) completedAt = new Date(contact.enteredAt.getTime() + 3_600_000);
        if (completedAt > now) completedAt = now;
        assignment.completedAt = completedAt;
        const author = assignment.assigneeId ?? team[0]?.id ?? null;
        if (rnd.chance(0.4)) {
          responses.push(
            em.create(Response, {
              assignmentId: assignment.id,
              kind: ResponseKind.NOTE,
              body: "Crew inspected the location; work order created.",
              channel: null,
              sentAt: null,
              authorId: author,
              isFinal: false,
              createdAt: new Date((contact.enteredAt.getTime() + completedAt.getTime()) / 2),
            }),
          );
        }
        const template =
          contact.language === Language.ES ? category.standardResponseEs : category.standardResponse;
        responses.push(
          em.create(Response, {
            assignmentId: assignment.id,
            kind: ResponseKind.RESPONSE,
            body: template.replaceAll("{referenceNumber}", contact.referenceNumber),
            channel:
              person?.preferredChannel === Channel.EMAIL ? ResponseChannel.EMAIL : ResponseChannel.PHONE,
            sentAt: completedAt,
            authorId: author,
            isFinal: true,
            createdAt: completedAt,
          }),
        );
      }
      assignments.push(assignment);
    });
    await insertChunks(em, Contact, contacts);
    await insertChunks(em, Assignment, assignments);
    await insertChunks(em, Response, responses);
    bar.done(`(${contacts.length} contacts, ${responses.length} responses)`);
  });
  logger.info({ constituents: total }, "demo data loaded");
  return true;
}
