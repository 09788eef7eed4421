import type { DataSource } from "typeorm";
import { makeCity } from "../factories/reference.factory";
import { makeRequest } from "../factories/sla.factory";
import { openTestDataSource, resetDatabase } from "../support/db";
import { errorCodes, gql } from "../support/graphql";
import { DASHBOARD_QUERY } from "../../src/client/operations/reports";
import { refreshSlaRollup } from "../../src/server/review/sla-rollup.service";
import { localDate } from "../../src/server/routing/business-days";
import { route } from "../../src/server/routing/routing.service";
import {
  SlaGroupBy,
  slaReport,
  slaReportCsv,
  type SlaReport,
} from "../../src/server/review/sla-report.service";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
let reopened: { contactId: string; assignmentIds: string[] };
let thanksgivingDue: Date;

/** A wall-clock time in the city (America/Phoenix, UTC-7 all year). */
const at = (date: string, time: string) => new Date(`${date}T${time}:00-07:00`);
const NOW = at("2026-12-10", "12:00");
const PERIOD = { from: "2026-11-01", to: "2026-12-06", now: NOW };

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  const S = city.streets.id;
  const W = city.water.id;
  const P = city.pothole.id;
  // Completed exactly 120 hours after it was assigned: not under five days.
  await makeRequest(ds, {
    categoryId: P,
    receivedAt: at("2026-11-02", "09:00"),
    assignments: [
      {
        departmentId: S,
        status: "COMPLETED",
        dueAt: at("2026-11-09", "17:00"),
        completedAt: at("2026-11-07", "09:00"),
      },
    ],
  });
  // A minute less: under five days.
  await makeRequest(ds, {
    categoryId: P,
    receivedAt: at("2026-11-02", "09:00"),
    assignments: [
      {
        departmentId: S,
        status: "COMPLETED",
        dueAt: at("2026-11-09", "17:00"),
        completedAt: at("2026-11-07", "08:59"),
      },
    ],
  });
  // Transferred to Water two days in: Water's due date runs from the transfer, the clock from the first
  // assignment.
  await makeRequest(ds, {
    categoryId: P,
    receivedAt: at("2026-11-02", "09:00"),
    assignments: [
      { departmentId: S, status: "TRANSFERRED", dueAt: at("2026-11-09", "17:00") },
      {
        departmentId: W,
        status: "COMPLETED",
        assignedAt: at("2026-11-04", "09:00"),
        dueAt: at("2026-11-12", "17:00"),
        completedAt: at("2026-11-08", "10:00"),
      },
    ],
  });
  // A leak answered in a day, later reopened.
  reopened = await makeRequest(ds, {
    categoryId: city.leak.id,
    receivedAt: at("2026-11-03", "09:00"),
    assignments: [
      {
        departmentId: W,
        status: "COMPLETED",
        dueAt: at("2026-11-05", "17:00"),
        completedAt: at("2026-11-04", "09:00"),
      },
    ],
  });
  // Across a weekend: Friday 10:00 to Wednesday 09:00 is 119 hours, under five days.
  await makeRequest(ds, {
    categoryId: P,
    receivedAt: at("2026-11-27", "10:00"),
    assignments: [
      {
        departmentId: S,
        status: "COMPLETED",
        dueAt: at("2026-12-04", "17:00"),
        completedAt: at("2026-12-02", "09:00"),
      },
    ],
  });
  // Across Thanksgiving: the routing's own due date is Thursday 3 December (the holiday is no business
  // day), so completed that afternoon it is on time.
  thanksgivingDue = route(city.pothole, at("2026-11-25", "09:00")).dueAt;
  await makeRequest(ds, {
    categoryId: P,
    receivedAt: at("2026-11-25", "09:00"),
    assignments: [
      {
        departmentId: S,
        status: "COMPLETED",
        dueAt: thanksgivingDue,
        completedAt: at("2026-12-03", "16:00"),
      },
    ],
  });
  // Cancelled (even with a completion time) and a completed supporting assignment: never counted.
  await makeRequest(ds, {
    categoryId: P,
    receivedAt: at("2026-11-02", "09:00"),
    assignments: [
      {
        departmentId: S,
        status: "CANCELLED",
        dueAt: at("2026-11-09", "17:00"),
        completedAt: at("2026-11-03", "09:00"),
      },
    ],
  });
  await makeRequest(ds, {
    categoryId: P,
    receivedAt: at("2026-11-02", "09:00"),
    assignments: [
      { departmentId: S, status: "OPEN", dueAt: at("2026-11-09", "17:00") },
      {
        departmentId: W,
        status: "COMPLETED",
        isLead: false,
        dueAt: at("2026-11-09", "17:00"),
        completedAt: at("2026-11-03", "09:00"),
      },
    ],
  });
  await makeRequest(ds, {
    categoryId: city.leak.id,
    receivedAt: at("2026-12-08", "09:00"),
    assignments: [{ departmentId: W, status: "OPEN", dueAt: at("2026-12-10", "17:00") }],
  });
});
afterAll(() => ds.destroy());

const byLabel = (r: SlaReport) =>
  Object.fromEntries(
    r.rows.map((f) => [f.label, [f.completed, f.underFiveDays, f.onTime, f.medianHours, f.p90Hours]]),
  );

async function expectInitialFigures() {
  const dept = await slaReport(ds, city.reviewer.viewer, { ...PERIOD, groupBy: SlaGroupBy.DEPARTMENT });
  // [completed, under five days, on time, median hours, p90 hours]
  expect(byLabel(dept)).toEqual({
    "Street Maintenance": [4, 2, 4, 114, 192],
    "Water Services": [2, 1, 2, 24, 144],
  });
  expect(dept.total).toMatchObject({
    completed: 6,
    underFiveDays: 3,
    underFiveDaysShare: 0.5,
    onTime: 6,
    onTimeShare: 1,
    medianHours: 114,
    p90Hours: 192,
  });
  const weeks = await slaReport(ds, city.reviewer.viewer, { ...PERIOD, groupBy: SlaGroupBy.WEEK });
  expect(weeks.rows.map((w) => [w.key, w.completed, w.underFiveDays])).toEqual([
    ["2026-11-02", 4, 2],
    ["2026-11-30", 2, 1],
  ]);
}

describe("slaReport", () => {
  it("counts completions under 120 hours from the assignment, once per transferred request, without cancelled or supporting ones", async () => {
    expect(localDate(thanksgivingDue, "America/Phoenix")).toBe("2026-12-03");
    await expectInitialFigures();
    const cats = await slaReport(ds, city.reviewer.viewer, { ...PERIOD, groupBy: SlaGroupBy.CATEGORY });
    expect(byLabel(cats)).toEqual({ Pothole: [5, 2, 5, 120, 192], "Water leak": [1, 1, 1, 24, 24] });
    const months = await slaReport(ds, city.reviewer.viewer, { ...PERIOD, groupBy: SlaGroupBy.MONTH });
    expect(months.rows.map((m) => [m.label, m.completed])).toEqual([
      ["November 2026", 4],
      ["December 2026", 2],
    ]);
  });

  it("gives the same figures from the rollup, partly rolled and fully rolled", async () => {
    await refreshSlaRollup(ds, { now: at("2026-11-07", "12:00") });
    await expectInitialFigures();
    const r = await refreshSlaRollup(ds, { now: NOW });
    expect(r.rolledThrough).toBe("2026-12-10");
    await expectInitialFigures();
    const [{ n }] = await ds.query(`SELECT sum(completed)::int AS n FROM sla_rollup`);
    expect(n).toBe(6);
  });

  it("moves a reopened request to its last completion, exact before and after the next refresh", async () => {
    const [id] = reopened.assignmentIds;
    await ds.query(`UPDATE assignment SET status = 'IN_PROGRESS', completed_at = NULL WHERE id = $1`, [id]);
    await ds.query(`UPDATE assignment SET status = 'COMPLETED', completed_at = $2 WHERE id = $1`, [
      id,
      at("2026-11-10", "09:00"),
    ]);
    const expectReopened = async () => {
      const dept = await slaReport(ds, city.reviewer.viewer, { ...PERIOD, groupBy: SlaGroupBy.DEPARTMENT });
      expect(byLabel(dept)["Water Services"]).toEqual([2, 0, 1, 144, 168]);
      expect(dept.total).toMatchObject({ completed: 6, underFiveDays: 2, onTime: 5, medianHours: 120 });
      const weeks = await slaReport(ds, city.reviewer.viewer, { ...PERIOD, groupBy: SlaGroupBy.WEEK });
      expect(weeks.rows.map((w) => [w.key, w.completed, w.underFiveDays])).toEqual([
        ["2026-11-02", 3, 1],
        ["2026-11-09", 1, 0],
        ["2026-11-30", 2, 1],
      ]);
    };
    // The triggers moved it within the rollup: no day is left to compute live.
    const [{ n: dirty }] = await ds.query(`SELECT count(*)::int AS n FROM sla_rollup_dirty`);
    expect(dirty).toBe(0);
    const [{ n: moved }] = await ds.query(
      `SELECT sum(completed)::int AS n FROM sla_rollup WHERE day = '2026-11-10'`,
    );
    expect(moved).toBe(1);
    await expectReopened();
    await refreshSlaRollup(ds, { now: NOW });
    await expectReopened();
  });

  it("ages the open backlog from the first assignment", async () => {
    const r = await slaReport(ds, city.reviewer.viewer, { ...PERIOD, groupBy: SlaGroupBy.CITY });
    expect(Object.fromEntries(r.backlog.map((b) => [b.label, b.count]))).toEqual({
      "Under 1 day": 0,
      "1 to 3 days": 1,
      "3 to 5 days": 0,
      "5 to 10 days": 0,
      "10 to 30 days": 0,
      "30 days or more": 1,
    });
    expect(r.definitions.join(" ")).toMatch(/Exactly 120 hours is not under five days/);
  });

  it("exports the figures as CSV with the definitions", async () => {
    const r = await slaReport(ds, city.reviewer.viewer, { ...PERIOD, groupBy: SlaGroupBy.DEPARTMENT });
    const lines = slaReportCsv(r).split("\r\n");
    expect(lines[0]).toBe(
      "group,key,label,from,to,completed,under_five_days,under_five_days_pct,on_time,on_time_pct,median_hours,p90_hours",
    );
    expect(lines).toContain(
      `DEPARTMENT,${city.streets.id},Street Maintenance,2026-11-01,2026-12-06,4,2,50.00,4,100.00,114,192`,
    );
    expect(lines.some((l) => l.startsWith("TOTAL,total,City-wide,"))).toBe(true);
    expect(lines).toContain("30 days or more,1");
  });

  it("starts the clock when the request was assigned, not when a letter arrived before it was entered", async () => {
    const JAN = { from: "2027-01-01", to: "2027-01-31", now: at("2027-02-01", "12:00") };
    const done = (completedAt: Date) => ({
      departmentId: city.streets.id,
      status: "COMPLETED" as const,
      dueAt: at("2027-01-20", "17:00"),
      completedAt,
    });
    // Received on the 4th, entered and assigned on the 6th, completed 119 hours later: under five days,
    // though 167 hours after it arrived.
    await makeRequest(ds, {
      categoryId: city.pothole.id,
      receivedAt: at("2027-01-04", "09:00"),
      enteredAt: at("2027-01-06", "09:00"),
      assignments: [done(at("2027-01-11", "08:00"))],
    });
    // Entered the day it arrived, completed 121 hours later: not under five days.
    await makeRequest(ds, {
      categoryId: city.pothole.id,
      receivedAt: at("2027-01-12", "09:00"),
      assignments: [done(at("2027-01-17", "10:00"))],
    });
    const r = await slaReport(ds, city.reviewer.viewer, { ...JAN, groupBy: SlaGroupBy.CITY });
    expect(r.total).toMatchObject({ completed: 2, underFiveDays: 1, medianHours: 114 });
  });

  it("refuses a period that ends before it starts, naming the field", async () => {
    await expect(
      slaReport(ds, city.reviewer.viewer, { groupBy: SlaGroupBy.CITY, from: "2026-12-01", to: "2026-11-01" }),
    ).rejects.toMatchObject({ code: "BAD_USER_INPUT", field: "to" });
    await expect(
      slaReport(ds, city.reviewer.viewer, { groupBy: SlaGroupBy.CITY, from: "2026-02-30", to: "2026-03-01" }),
    ).rejects.toMatchObject({ code: "BAD_USER_INPUT", field: "from" });
  });
});

const REPORT = `query($groupBy: SlaGroupBy!, $from: String!, $to: String!, $departmentId: ID) {
  slaReport(groupBy: $groupBy, from: $from, to: $to, departmentId: $departmentId) {
    departmentId rows { key label completed underFiveDays } total { completed } backlog { count } } }`;

describe("slaReport through the schema", () => {
  const vars = { groupBy: "DEPARTMENT", from: PERIOD.from, to: PERIOD.to };

  it("gives reviewers, administrators and analysts the city's figures", async () => {
    for (const who of [city.reviewer, city.admin, city.analyst]) {
      const res = await gql(ds, who.viewer, REPORT, vars);
      expect(res.errors).toBeUndefined();
      expect(res.data!.slaReport.rows.map((r: { label: string }) => r.label)).toEqual([
        "Street Maintenance",
        "Water Services",
      ]);
    }
  });

  it("gives a department its own figures only, whatever department it asks for", async () => {
    const res = await gql(ds, city.streetsStaff.viewer, REPORT, { ...vars, departmentId: city.water.id });
    expect(res.errors).toBeUndefined();
    expect(res.data!.slaReport.departmentId).toBe(city.streets.id);
    expect(res.data!.slaReport.rows).toEqual([
      { key: city.streets.id, label: "Street Maintenance", completed: 4, underFiveDays: 2 },
    ]);
    expect(res.data!.slaReport.total.completed).toBe(4);
    expect(JSON.stringify(res.data)).not.toContain("Water Services");
  });

  it("answers the dashboard's one request: weeks and departments of the same period agree", async () => {
    const res = await gql(ds, city.reviewer.viewer, DASHBOARD_QUERY, { from: PERIOD.from, to: PERIOD.to });
    expect(res.errors).toBeUndefined();
    const { weekly, departments } = res.data!;
    const weeks = weekly.rows.reduce((n: number, w: { completed: number }) => n + w.completed, 0);
    expect(weeks).toBe(6);
    expect(departments.total).toMatchObject({ completed: 6, underFiveDays: 2 });
    expect(weekly.total).toEqual(departments.total);
    expect(weekly.goal).toBe(0.95);
    expect(
      departments.backlog.map((b: { count: number }) => b.count).reduce((a: number, b: number) => a + b),
    ).toBe(2);
  });

  it("refuses intake staff and anonymous callers with no data", async () => {
    const intake = await gql(ds, city.intake.viewer, REPORT, vars);
    expect(errorCodes(intake)).toEqual(["FORBIDDEN"]);
    expect(intake.data ?? null).toBeNull();
    const anonymous = await gql(ds, null, REPORT, vars);
    expect(errorCodes(anonymous)).toEqual(["UNAUTHENTICATED"]);
    expect(anonymous.data ?? null).toBeNull();
  });
});
