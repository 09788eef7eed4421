import type { DataSource } from "typeorm";
import { makeConstituent } from "../factories/constituent.factory";
import { makeCategory, makeCity } from "../factories/reference.factory";
import { makeRequest, makeResponse } from "../factories/sla.factory";
import { openTestDataSource, resetDatabase } from "../support/db";
import { errorCodes, gql } from "../support/graphql";
import {
  FindingKind,
  consistencyFindings,
  type ConsistencyFinding,
} from "../../src/server/review/consistency.service";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
const refs: Record<string, string> = {};

const at = (date: string, time = "09:00") => new Date(`${date}T${time}:00-07:00`);
const FILTER = { from: "2026-11-14", to: "2026-11-20", now: at("2026-12-01") };
const STANDARD = "Thank you for reporting the pothole. A crew will repair it within five business days.";

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  const S = city.streets.id;
  const W = city.water.id;
  const P = (await makeCategory(ds, { name: "Road damage", departmentId: S, standardResponse: STANDARD })).id;
  const due = at("2026-11-30", "17:00");
  const done = (completedAt: Date) => ({
    departmentId: S,
    status: "COMPLETED" as const,
    dueAt: due,
    completedAt,
  });
  const answered = async (name: string, body: string, isFinal = true) => {
    const r = await makeRequest(ds, {
      categoryId: P,
      receivedAt: at("2026-11-14"),
      assignments: [done(at("2026-11-16"))],
    });
    await makeResponse(ds, { assignmentId: r.assignmentIds[0], body, isFinal, createdAt: at("2026-11-16") });
    refs[name] = r.referenceNumber;
    return r;
  };

  // Two final answers from one department; answers from two departments; one answer and another's note.
  const twice = await answered("twoFinals", STANDARD);
  await makeResponse(ds, {
    assignmentId: twice.assignmentIds[0],
    body: STANDARD,
    isFinal: true,
    createdAt: at("2026-11-17"),
  });
  const moved = await makeRequest(ds, {
    categoryId: P,
    receivedAt: at("2026-11-14"),
    assignments: [{ departmentId: W, status: "TRANSFERRED", dueAt: due }, done(at("2026-11-18"))],
  });
  await makeResponse(ds, {
    assignmentId: moved.assignmentIds[0],
    body: "We are looking into it.",
    createdAt: at("2026-11-15"),
  });
  await makeResponse(ds, {
    assignmentId: moved.assignmentIds[1],
    body: STANDARD,
    isFinal: true,
    createdAt: at("2026-11-18"),
  });
  refs.twoDepartments = moved.referenceNumber;
  const helped = await makeRequest(ds, {
    categoryId: P,
    receivedAt: at("2026-11-14"),
    assignments: [
      done(at("2026-11-18")),
      { departmentId: W, status: "COMPLETED", isLead: false, dueAt: due, completedAt: at("2026-11-17") },
    ],
  });
  await makeResponse(ds, {
    assignmentId: helped.assignmentIds[1],
    kind: "NOTE",
    body: "Valve closed.",
    createdAt: at("2026-11-17"),
  });
  await makeResponse(ds, {
    assignmentId: helped.assignmentIds[0],
    body: STANDARD,
    isFinal: true,
    createdAt: at("2026-11-18"),
  });
  refs.answerAndNote = helped.referenceNumber;

  // Far from the standard response, and a personalised one close to it.
  await answered(
    "offStandard",
    "We will not fix this; contact the county assessor about your property tax bill.",
  );
  await answered(
    "personalised",
    "Dear Ms Lee, thank you for reporting the pothole on Elm Street. A crew will repair it within five business days.",
  );

  // Repeat contacts.
  const repeat = async (
    name: string,
    earlier: Parameters<typeof makeRequest>[1]["assignments"],
    earlierAt: Date,
    answer?: Date,
  ) => {
    const who = await makeConstituent(ds, city.intake.viewer);
    const e = await makeRequest(ds, {
      categoryId: P,
      constituentId: who.id,
      receivedAt: earlierAt,
      assignments: earlier,
    });
    if (answer)
      await makeResponse(ds, {
        assignmentId: e.assignmentIds[0],
        body: STANDARD,
        isFinal: true,
        createdAt: answer,
      });
    const b = await makeRequest(ds, {
      categoryId: P,
      constituentId: who.id,
      receivedAt: at("2026-11-15"),
      assignments: [done(at("2026-11-16"))],
    });
    refs[name] = b.referenceNumber;
    refs[`${name}Earlier`] = e.referenceNumber;
  };
  await repeat("whileOpen", [{ departmentId: S, status: "IN_PROGRESS", dueAt: due }], at("2026-11-10"));
  await repeat("closedUnanswered", [done(at("2026-11-06"))], at("2026-11-05"));
  await repeat("answeredBefore", [done(at("2026-11-03"))], at("2026-11-01"), at("2026-11-03"));
  await repeat("longAgo", [{ departmentId: S, status: "OPEN", dueAt: due }], at("2026-10-10"));
  // Cancelled, never answered: closed without an answer, not "still open".
  await repeat("cancelled", [{ departmentId: S, status: "CANCELLED", dueAt: due }], at("2026-11-09"));
  // Linked as a duplicate of another report that was answered and completed before: answered, no finding.
  await repeat("linkedAnswered", [{ departmentId: S, status: "CANCELLED", dueAt: due }], at("2026-11-09"));
  const answeredRoot = await makeRequest(ds, {
    categoryId: P,
    receivedAt: at("2026-11-02"),
    assignments: [done(at("2026-11-04"))],
  });
  await makeResponse(ds, {
    assignmentId: answeredRoot.assignmentIds[0],
    body: STANDARD,
    isFinal: true,
    createdAt: at("2026-11-04"),
  });
  await ds.query(`UPDATE contact SET duplicate_of_id = $2 WHERE reference_number = $1`, [
    refs.linkedAnsweredEarlier,
    answeredRoot.contactId,
  ]);

  // Three transfers, and two.
  const transfers = async (name: string, n: number) => {
    const chain = Array.from({ length: n }, (_, i) => ({
      departmentId: i % 2 ? W : S,
      status: "TRANSFERRED" as const,
      dueAt: due,
      assignedAt: at(`2026-11-${15 + i}`),
    }));
    const r = await makeRequest(ds, {
      categoryId: P,
      receivedAt: at("2026-11-14"),
      assignments: [...chain, { ...done(at("2026-11-19")), assignedAt: at(`2026-11-${15 + n}`) }],
    });
    refs[name] = r.referenceNumber;
  };
  await transfers("threeTransfers", 3);
  await transfers("twoTransfers", 2);

  // Idle for eleven days; a note three days before the period's end; a confidential idle one.
  const idle = await makeRequest(ds, {
    categoryId: P,
    receivedAt: at("2026-11-10"),
    assignments: [{ departmentId: S, status: "OPEN", dueAt: due }],
  });
  refs.idle = idle.referenceNumber;
  const noted = await makeRequest(ds, {
    categoryId: P,
    receivedAt: at("2026-11-10"),
    assignments: [{ departmentId: S, status: "IN_PROGRESS", dueAt: due }],
  });
  await makeResponse(ds, {
    assignmentId: noted.assignmentIds[0],
    kind: "NOTE",
    body: "Crew booked.",
    createdAt: at("2026-11-18"),
  });
  refs.recentNote = noted.referenceNumber;
  const secret = await makeRequest(ds, {
    categoryId: P,
    confidential: true,
    receivedAt: at("2026-11-10"),
    assignments: [{ departmentId: S, status: "OPEN", dueAt: due }],
  });
  refs.confidentialIdle = secret.referenceNumber;
});
afterAll(() => ds.destroy());

const of = (fs: ConsistencyFinding[], kind: FindingKind) =>
  fs.filter((f) => f.kind === kind).map((f) => f.referenceNumber);

describe("consistencyFindings", () => {
  let found: ConsistencyFinding[];
  beforeAll(async () => {
    found = await consistencyFindings(ds, city.reviewer.viewer, FILTER);
  });

  it("finds two final answers and answers from two departments, not an answer with another's note", () => {
    const refsFound = of(found, FindingKind.CONFLICTING_ANSWERS);
    expect(refsFound.sort()).toEqual([refs.twoFinals, refs.twoDepartments].sort());
    const two = found.find((f) => f.referenceNumber === refs.twoDepartments)!;
    expect(two.departmentNames).toEqual(["Street Maintenance", "Water Services"]);
  });

  it("finds a final answer far from the standard response, not a personalised one", () => {
    const off = found.filter((f) => f.kind === FindingKind.DEPARTS_FROM_STANDARD);
    expect(off.map((f) => f.referenceNumber)).toEqual([refs.offStandard]);
    expect(off[0].score).toBeLessThan(0.3);
  });

  it("finds a repeat contact while the earlier one is open or was closed unanswered, not after an answer (its own or its first report's) or 30 days", () => {
    const repeats = found.filter((f) => f.kind === FindingKind.REPEAT_CONTACT);
    expect(repeats.map((f) => [f.referenceNumber, f.relatedReferenceNumber]).sort()).toEqual(
      [
        [refs.whileOpen, refs.whileOpenEarlier],
        [refs.closedUnanswered, refs.closedUnansweredEarlier],
        [refs.cancelled, refs.cancelledEarlier],
      ].sort(),
    );
    expect(repeats.find((f) => f.referenceNumber === refs.closedUnanswered)!.detail).toMatch(
      /without an answer/,
    );
    expect(repeats.find((f) => f.referenceNumber === refs.cancelled)!.detail).toMatch(/without an answer/);
    expect(repeats.find((f) => f.referenceNumber === refs.whileOpen)!.detail).toMatch(/still open/);
  });

  it("finds a request transferred three times, not twice", () => {
    const moved = found.filter((f) => f.kind === FindingKind.TRANSFERRED_OFTEN);
    expect(moved.map((f) => [f.referenceNumber, f.score])).toEqual([[refs.threeTransfers, 3]]);
  });

  it("finds an assignment idle for five days or more, not one with a recent note", () => {
    const idle = of(found, FindingKind.NO_ACTIVITY);
    expect(idle).toContain(refs.idle);
    expect(idle).toContain(refs.confidentialIdle);
    expect(idle).not.toContain(refs.recentNote);
    expect(
      found.find((f) => f.referenceNumber === refs.idle && f.kind === FindingKind.NO_ACTIVITY)!.score,
    ).toBe(10);
  });

  it("filters by kind", async () => {
    const only = await consistencyFindings(ds, city.reviewer.viewer, {
      ...FILTER,
      kinds: [FindingKind.TRANSFERRED_OFTEN],
    });
    expect(only.map((f) => f.kind)).toEqual([FindingKind.TRANSFERRED_OFTEN]);
  });
});

const FINDINGS = `query($filter: ConsistencyFindingsFilter) {
  consistencyFindings(filter: $filter) { kind referenceNumber detail departmentNames } }`;

describe("consistencyFindings through the schema", () => {
  const filter = { from: FILTER.from, to: FILTER.to };

  it("shows administrators the findings but none about confidential requests", async () => {
    const reviewer = await gql(ds, city.reviewer.viewer, FINDINGS, { filter });
    expect(reviewer.errors).toBeUndefined();
    expect(JSON.stringify(reviewer.data)).toContain(refs.confidentialIdle);
    const admin = await gql(ds, city.admin.viewer, FINDINGS, { filter });
    expect(admin.errors).toBeUndefined();
    expect(JSON.stringify(admin.data)).toContain(refs.threeTransfers);
    expect(JSON.stringify(admin.data)).not.toContain(refs.confidentialIdle);
  });

  it("refuses departments, analysts and intake with no data", async () => {
    for (const who of [city.streetsStaff, city.analyst, city.intake]) {
      const res = await gql(ds, who.viewer, FINDINGS, { filter });
      expect(errorCodes(res)).toEqual(["FORBIDDEN"]);
      expect(res.data ?? null).toBeNull();
    }
  });
});
