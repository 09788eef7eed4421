import fc from "fast-check";
import type { DataSource } from "typeorm";
import { makeCategory, makeDepartment, makeStaff } from "../factories/reference.factory";
import { makeRequest, type AssignmentSpec } from "../factories/sla.factory";
import { openTestDataSource, resetDatabase } from "../support/db";
import { Role } from "../../entities";
import type { Viewer } from "../../src/server/auth/viewer";
import { addDays, localDate } from "../../src/server/routing/business-days";
import {
  FIVE_DAYS_SECONDS,
  bucketHours,
  bucketOf,
  refreshSlaRollup,
} from "../../src/server/review/sla-rollup.service";
import { SlaGroupBy, slaReport } from "../../src/server/review/sla-report.service";

let ds: DataSource;
let reviewer: Viewer;
let departments: string[];
let categories: string[];

const TZ = "America/Phoenix";
const START = new Date("2026-10-01T00:00:00-07:00").getTime();
const MIN = 60_000;
const FROM = "2026-10-05";
const TO = "2026-11-08";

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  reviewer = (await makeStaff(ds, Role.REVIEWER)).viewer;
  departments = [(await makeDepartment(ds)).id, (await makeDepartment(ds)).id];
  categories = [];
  for (const d of departments) categories.push((await makeCategory(ds, { departmentId: d })).id);
  categories.push((await makeCategory(ds, { departmentId: departments[0] })).id);
});
afterAll(() => ds.destroy());

const request = fc.record({
  category: fc.nat({ max: 2 }),
  department: fc.nat({ max: 1 }),
  receivedMinutes: fc.integer({ min: 0, max: 45 * 24 * 60 }),
  // A letter can wait days before it is entered and assigned; the clock starts at the assignment.
  entryDelayMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 * 24 * 60 })),
  // Around the 120-hour line, and far past it.
  tookMinutes: fc.oneof(fc.integer({ min: 0, max: 14 * 24 * 60 }), fc.constantFrom(7199, 7200, 7201)),
  dueMinutes: fc.integer({ min: 0, max: 10 * 24 * 60 }),
  shape: fc.constantFrom("completed", "completed", "transferred", "cancelled", "open", "support"),
  // Changed after the first refresh: reopened and completed later, or cancelled.
  change: fc.constantFrom(null, null, "recomplete", "cancel", "move", "recategorise", "reclock"),
  laterMinutes: fc.integer({ min: 1, max: 6 * 24 * 60 }),
});

interface Fact {
  day: string;
  department: string;
  category: string;
  secs: number;
  onTime: boolean;
}

/** The figures straight from the assignment rows, computed apart from the service's SQL. */
async function direct(groupBy: SlaGroupBy) {
  const rows: {
    completed_at: Date;
    entered_at: Date;
    due_at: Date;
    department_id: string;
    category_id: string;
  }[] = await ds.query(
    `SELECT a.completed_at, k.entered_at, a.due_at, a.department_id, k.category_id
         FROM assignment a JOIN contact k ON k.id = a.contact_id
        WHERE a.is_lead AND a.status = 'COMPLETED'`,
  );
  const facts: Fact[] = rows
    .map((r) => ({
      day: localDate(r.completed_at, TZ),
      department: r.department_id,
      category: r.category_id,
      secs: (r.completed_at.getTime() - r.entered_at.getTime()) / 1000,
      onTime: r.completed_at.getTime() <= r.due_at.getTime(),
    }))
    .filter((f) => f.day >= FROM && f.day <= TO);
  const monday = (d: string) => addDays(d, -((new Date(`${d}T12:00:00Z`).getUTCDay() + 6) % 7));
  const keyOf: Record<SlaGroupBy, (f: Fact) => string> = {
    [SlaGroupBy.CITY]: () => "city",
    [SlaGroupBy.DEPARTMENT]: (f) => f.department,
    [SlaGroupBy.CATEGORY]: (f) => f.category,
    [SlaGroupBy.WEEK]: (f) => monday(f.day),
    [SlaGroupBy.MONTH]: (f) => f.day.slice(0, 7),
  };
  const groups = new Map<string, Fact[]>();
  for (const f of facts) groups.set(keyOf[groupBy](f), [...(groups.get(keyOf[groupBy](f)) ?? []), f]);
  const pct = (sorted: number[], q: number) =>
    bucketHours(bucketOf(sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]));
  return Object.fromEntries(
    [...groups].map(([k, fs]) => {
      const secs = fs.map((f) => f.secs).sort((a, b) => a - b);
      return [
        k,
        {
          completed: fs.length,
          underFiveDays: fs.filter((f) => f.secs < FIVE_DAYS_SECONDS).length,
          onTime: fs.filter((f) => f.onTime).length,
          medianHours: pct(secs, 0.5),
          p90Hours: pct(secs, 0.9),
        },
      ];
    }),
  );
}

async function reported(groupBy: SlaGroupBy) {
  const r = await slaReport(ds, reviewer, { groupBy, from: FROM, to: TO });
  return Object.fromEntries(
    r.rows.map((f) => [
      f.key,
      {
        completed: f.completed,
        underFiveDays: f.underFiveDays,
        onTime: f.onTime,
        medianHours: f.medianHours,
        p90Hours: f.p90Hours,
      },
    ]),
  );
}

const NOW = new Date(START + 70 * 86_400_000);

/** The open backlog by age straight from the rows, against the one the triggers keep. */
async function expectSameBacklog() {
  const open: { entered_at: Date }[] = await ds.query(
    `SELECT k.entered_at FROM assignment a JOIN contact k ON k.id = a.contact_id
      WHERE a.is_lead AND a.status IN ('OPEN', 'IN_PROGRESS')`,
  );
  const r = await slaReport(ds, reviewer, { groupBy: SlaGroupBy.CITY, from: FROM, to: TO, now: NOW });
  const days = open.map((o) => (NOW.getTime() - o.entered_at.getTime()) / 86_400_000);
  expect(r.backlog.map((b) => b.count)).toEqual(
    r.backlog.map((b) => days.filter((d) => d >= b.minDays && (b.maxDays === null || d < b.maxDays)).length),
  );
}

const ROLLUP_TABLES = ["sla_rollup", "sla_rollup_bucket", "sla_rollup_department_bucket"];

async function rollupRows(): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const t of ROLLUP_TABLES) out.push(await ds.query(`SELECT * FROM ${t} ORDER BY 1, 2, 3, 4`));
  return out;
}

/** The rows the triggers kept are the rows a fresh roll over the same days makes, and no day went dirty. */
async function expectRollupAsRolledAfresh(now: Date) {
  expect(await ds.query(`SELECT day FROM sla_rollup_dirty`)).toEqual([]);
  const kept = await rollupRows();
  await ds.query(`UPDATE sla_rollup_state SET rolled_through = NULL`);
  await refreshSlaRollup(ds, { now });
  expect(await rollupRows()).toEqual(kept);
}

async function expectSameFigures() {
  for (const g of Object.values(SlaGroupBy)) expect(await reported(g)).toEqual(await direct(g));
  await expectSameBacklog();
}

describe("the five-day rollup", () => {
  it("gives the figures computed directly from the assignments, before and after changes and refreshes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(request, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 50 }),
        async (requests, refreshDay) => {
          await ds.query(
            `TRUNCATE sla_rollup, sla_rollup_bucket, sla_rollup_department_bucket, sla_rollup_dirty, sla_rollup_state, sla_open_lead, response, assignment, contact CASCADE`,
          );
          const made: { ids: string[]; contactId: string; r: (typeof requests)[number]; receivedAt: Date }[] =
            [];
          for (const r of requests) {
            const receivedAt = new Date(START + r.receivedMinutes * MIN);
            const completedAt = new Date(receivedAt.getTime() + r.tookMinutes * MIN);
            const dueAt = new Date(receivedAt.getTime() + r.dueMinutes * MIN);
            const dept = departments[r.department];
            const other = departments[1 - r.department];
            const done: AssignmentSpec = { departmentId: dept, status: "COMPLETED", dueAt, completedAt };
            const assignments: AssignmentSpec[] =
              r.shape === "completed"
                ? [done]
                : r.shape === "transferred"
                  ? [{ departmentId: other, status: "TRANSFERRED", dueAt }, done]
                  : r.shape === "cancelled"
                    ? [{ ...done, status: "CANCELLED" }]
                    : r.shape === "open"
                      ? [{ departmentId: dept, status: "OPEN", dueAt }]
                      : [
                          { departmentId: dept, status: "OPEN", dueAt },
                          { ...done, departmentId: other, isLead: false },
                        ];
            const { assignmentIds, contactId } = await makeRequest(ds, {
              categoryId: categories[r.category],
              receivedAt: new Date(receivedAt.getTime() - r.entryDelayMinutes * MIN),
              enteredAt: receivedAt,
              assignments,
            });
            made.push({ ids: assignmentIds, contactId, r, receivedAt });
          }
          await expectSameFigures();
          const refreshAt = new Date(START + refreshDay * 86_400_000);
          await refreshSlaRollup(ds, { now: refreshAt });
          await expectSameFigures();
          for (const m of made) {
            const id = m.ids[m.ids.length - 1];
            if (m.r.change === "recomplete") {
              await ds.query(
                `UPDATE assignment SET status = 'IN_PROGRESS', completed_at = NULL WHERE id = $1 AND is_lead`,
                [id],
              );
              await ds.query(
                `UPDATE assignment SET status = 'COMPLETED', completed_at = $2 WHERE id = $1 AND is_lead`,
                [id, new Date(m.receivedAt.getTime() + (m.r.tookMinutes + m.r.laterMinutes) * MIN)],
              );
            } else if (m.r.change === "cancel") {
              await ds.query(`UPDATE assignment SET status = 'CANCELLED' WHERE id = $1`, [id]);
            } else if (m.r.change === "move") {
              await ds.query(`UPDATE assignment SET department_id = $2 WHERE id = $1`, [
                id,
                departments[1 - m.r.department],
              ]);
            } else if (m.r.change === "recategorise") {
              await ds.query(`UPDATE contact SET category_id = $2 WHERE id = $1`, [
                m.contactId,
                categories[(m.r.category + 1) % categories.length],
              ]);
            } else if (m.r.change === "reclock") {
              await ds.query(
                `UPDATE contact SET entered_at = entered_at - $2 * interval '1 minute',
                                    received_at = received_at - $2 * interval '1 minute' WHERE id = $1`,
                [m.contactId, m.r.laterMinutes],
              );
            }
          }
          await expectSameFigures();
          await expectRollupAsRolledAfresh(refreshAt);
          await expectSameFigures();
          await refreshSlaRollup(ds, { now: new Date(START + 60 * 86_400_000) });
          await expectSameFigures();
        },
      ),
      { numRuns: 12 },
    );
  });
});
