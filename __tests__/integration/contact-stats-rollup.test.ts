import fc from "fast-check";
import type { DataSource } from "typeorm";
import { AssignmentStatus, Channel } from "../../entities";
import type { ContactFilterCommand } from "../../src/server/analytics/contact-filter";
import {
  contactStats,
  StatsDimension,
  type ContactStatsRow,
} from "../../src/server/analytics/contact-stats.service";
import { ContactStatsRollup1765000600000 } from "../../migrations/1765000600000-contact-stats-rollup";
import { CheaperTriggers1765000950000 } from "../../migrations/1765000950000-cheaper-triggers";
import { FactLeadOnInsert1765001200000 } from "../../migrations/1765001200000-fact-lead-on-insert";
import { ContactStatsCells1765001250000 } from "../../migrations/1765001250000-contact-stats-cells";
import { BAND_RATIO, ensureContactStatsCells } from "../../src/server/analytics/contact-stats-cells";
import { config } from "../../src/server/config/config";
import { makeConstituent, makeContact } from "../factories/constituent.factory";
import { makeCity } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
const people: string[] = [];
const contacts: string[] = [];
const ZIPS = ["85301", "85302", "85303"];
const WORDS = ["pothole", "leak", "graffiti"];

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  for (const zip of ZIPS)
    people.push((await makeConstituent(ds, city.intake.viewer, { postalCode: zip })).id);
});

afterAll(() => ds.destroy());

const HOUR = 3_600_000;

const newContact = fc.record({
  kind: fc.constant("new" as const),
  person: fc.integer({ min: -1, max: ZIPS.length - 1 }),
  leak: fc.boolean(),
  channel: fc.constantFrom(Channel.PHONE, Channel.WEB, Channel.EMAIL),
  hoursAgo: fc.integer({ min: 1, max: 24 * 40 }),
  word: fc.constantFrom(...WORDS),
});
const change = fc.record({
  kind: fc.constantFrom(
    "category",
    "complete",
    "reopen",
    "transfer",
    "cancel",
    "confidential",
    "due",
    "support",
    "zip",
  ),
  at: fc.nat(),
  hours: fc.double({ min: 0.01, max: 300, noNaN: true }),
  days: fc.integer({ min: -10, max: 10 }).filter((d) => d !== 0),
});

const leadInForce = `contact_id = $1 AND is_lead AND status NOT IN ('TRANSFERRED','CANCELLED')`;

type Value<A> = A extends fc.Arbitrary<infer T> ? T : never;

async function apply(op: Value<typeof newContact> | Value<typeof change>): Promise<void> {
  if (op.kind === "new") {
    const c = await makeContact(ds, city.intake.viewer, {
      categoryId: op.leak ? city.leak.id : city.pothole.id,
      constituentId: op.person < 0 ? null : people[op.person],
      confidential: op.person < 0,
      channel: op.channel,
      receivedAt: new Date(Date.now() - op.hoursAgo * HOUR),
      description: `A report about a ${op.word} near the park.`,
    });
    contacts.push(c.id);
    return;
  }
  if (!contacts.length) return;
  const id = contacts[op.at % contacts.length];
  const other = (a: string, b: string) => `CASE WHEN ${a} = '${b}' THEN $2::uuid ELSE '${b}'::uuid END`;
  switch (op.kind) {
    case "category":
      await ds.query(
        `UPDATE contact SET category_id = ${other("category_id", city.pothole.id)} WHERE id = $1`,
        [id, city.leak.id],
      );
      break;
    case "complete":
      await ds.query(
        `UPDATE assignment a SET status = 'COMPLETED', completed_at = ct.received_at + $2::float8 * interval '1 hour'
           FROM contact ct WHERE ct.id = a.contact_id AND a.${leadInForce} AND a.status IN ('OPEN','IN_PROGRESS')`,
        [id, op.hours],
      );
      break;
    case "reopen":
      await ds.query(
        `UPDATE assignment SET status = 'IN_PROGRESS', completed_at = NULL WHERE ${leadInForce} AND status = 'COMPLETED'`,
        [id],
      );
      break;
    case "transfer":
      await ds.transaction(async (em) => {
        const moved: { id: string; department_id: string }[] = await em.query(
          `UPDATE assignment SET status = 'TRANSFERRED' WHERE ${leadInForce} RETURNING id, department_id`,
          [id],
        );
        if (!moved.length) return;
        const to = moved[0].department_id === city.streets.id ? city.water.id : city.streets.id;
        await em.query(
          `INSERT INTO assignment (contact_id, department_id, is_lead, status, due_at, transferred_from_id)
           VALUES ($1, $2, true, 'OPEN', now() + $3 * interval '1 day', $4)`,
          [id, to, op.days, moved[0].id],
        );
      });
      break;
    case "cancel":
      await ds.query(`UPDATE assignment SET status = 'CANCELLED' WHERE ${leadInForce}`, [id]);
      break;
    case "confidential":
      await ds.query(`UPDATE contact SET confidential = true, constituent_id = NULL WHERE id = $1`, [id]);
      break;
    case "due":
      await ds.query(`UPDATE assignment SET due_at = now() + $2 * interval '1 day' WHERE ${leadInForce}`, [
        id,
        op.days,
      ]);
      break;
    case "support":
      await ds.query(
        `INSERT INTO assignment (contact_id, department_id, is_lead, status, due_at)
         SELECT $1, $2, false, 'OPEN', now() + interval '3 days'
          WHERE NOT EXISTS (SELECT 1 FROM assignment WHERE contact_id = $1 AND NOT is_lead)`,
        [id, city.water.id],
      );
      break;
    case "zip":
      await ds.query(`UPDATE constituent SET postal_code = $2 WHERE id = $1`, [
        people[op.at % people.length],
        `8539${op.at % 10}`,
      ]);
      break;
  }
}

interface Row {
  category_id: string;
  department_id: string | null;
  channel: Channel;
  week: string;
  zip: string | null;
  status: string | null;
  overdue: boolean | null;
  confidential: boolean;
  received_at: Date;
  hours: number | null;
  words: string[];
}

/** Every contact with its lead in force, straight from the rows: what the statistics must agree with. */
async function rows(): Promise<Row[]> {
  return ds.query(
    `SELECT ct.category_id, la.department_id, ct.channel, ct.confidential, ct.received_at, cn.postal_code AS zip,
            to_char(date_trunc('week', ct.received_at AT TIME ZONE $1::text), 'YYYY-MM-DD') AS week,
            la.status, (la.status IN ('OPEN','IN_PROGRESS') AND la.due_at < now()) AS overdue,
            CASE WHEN la.status = 'COMPLETED'
                 THEN (extract(epoch FROM la.completed_at - ct.received_at) / 3600.0)::float8 END AS hours,
            ARRAY(SELECT w FROM unnest($2::text[]) w
                   WHERE ct.description_tsv @@ websearch_to_tsquery('simple', w)) AS words
       FROM contact ct
       LEFT JOIN assignment la ON la.contact_id = ct.id AND la.is_lead AND la.status NOT IN ('TRANSFERRED','CANCELLED')
       LEFT JOIN constituent cn ON cn.id = ct.constituent_id`,
    [config().STAR_TIME_ZONE, WORDS],
  );
}

const KEY: Record<StatsDimension, (r: Row) => string | null> = {
  CATEGORY: (r) => r.category_id,
  DEPARTMENT: (r) => r.department_id,
  CHANNEL: (r) => r.channel,
  WEEK: (r) => r.week,
  ZIP: (r) => (r.confidential ? null : r.zip),
};

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = (s.length - 1) / 2;
  const lo = s[Math.floor(m)];
  return lo + (s[Math.ceil(m)] - lo) * (m - Math.floor(m));
}

function expected(all: Row[], groupBy: StatsDimension[], f: ContactFilterCommand) {
  const kept = all.filter(
    (r) =>
      (!f.channel || f.channel.includes(r.channel)) &&
      (!f.categoryId || f.categoryId.includes(r.category_id)) &&
      (!f.departmentId || (r.department_id !== null && f.departmentId.includes(r.department_id))) &&
      (!f.status || (r.status !== null && (f.status as string[]).includes(r.status))) &&
      (!f.receivedFrom || r.received_at >= f.receivedFrom) &&
      (f.overdue == null || !!r.overdue === f.overdue) &&
      (f.confidential == null || r.confidential === f.confidential) &&
      (!f.text || r.words.includes(f.text)),
  );
  const groups = new Map<string, Row[]>();
  // An aggregate without grouping is one row, even over no contacts.
  if (!groupBy.length) groups.set("[]", []);
  for (const r of kept) {
    const k = JSON.stringify(groupBy.map((d) => KEY[d](r)));
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.entries()]
    .map(([k, rs]) => {
      const hours = rs.filter((r) => r.status === "COMPLETED").map((r) => r.hours!);
      return {
        key: k,
        count: rs.length,
        openCount: rs.filter((r) => r.status === "OPEN" || r.status === "IN_PROGRESS").length,
        closedCount: hours.length,
        overdueCount: rs.filter((r) => r.overdue).length,
        median: median(hours),
        avg: hours.length ? hours.reduce((a, b) => a + b, 0) / hours.length : null,
      };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
}

function actual(got: ContactStatsRow[], groupBy: StatsDimension[]) {
  const field: Record<StatsDimension, keyof ContactStatsRow> = {
    CATEGORY: "categoryId",
    DEPARTMENT: "departmentId",
    CHANNEL: "channel",
    WEEK: "week",
    ZIP: "zip",
  };
  return got
    .map((r) => ({
      key: JSON.stringify(groupBy.map((d) => r[field[d]])),
      count: r.count,
      openCount: r.openCount,
      closedCount: r.closedCount,
      overdueCount: r.overdueCount,
      median: r.medianHoursToClose,
      avg: r.avgHoursToClose,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

const close = (a: number | null, b: number | null) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

const filterArb = fc.record(
  {
    channel: fc.subarray([Channel.PHONE, Channel.WEB, Channel.EMAIL], { minLength: 1 }),
    categoryId: fc.constant(null).map(() => [city.pothole.id]),
    departmentId: fc.constant(null).map(() => [city.water.id]),
    status: fc.subarray([AssignmentStatus.OPEN, AssignmentStatus.IN_PROGRESS, AssignmentStatus.COMPLETED], {
      minLength: 1,
    }),
    receivedFrom: fc.integer({ min: 1, max: 24 * 40 }).map((h) => new Date(Date.now() - h * HOUR)),
    overdue: fc.boolean(),
    confidential: fc.boolean(),
    text: fc.constantFrom(...WORDS),
  },
  { requiredKeys: [] },
);

describe("contact statistics from the contact facts", () => {
  it("equal a direct count over contacts and assignments after any inserts and updates", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(newContact, newContact, change), { minLength: 1, maxLength: 12 }),
        fc.subarray(Object.values(StatsDimension), { maxLength: 3 }),
        filterArb,
        async (ops, groupBy, filter) => {
          for (const op of ops) await apply(op);
          const got = await contactStats(ds, city.analyst.viewer, { groupBy, filter });
          const want = expected(await rows(), groupBy, filter);
          const have = actual(got, groupBy);
          expect(have.map(({ median: _m, avg: _a, ...r }) => r)).toEqual(
            want.map(({ median: _m, avg: _a, ...r }) => r),
          );
          have.forEach((h, i) => {
            expect([h.key, close(h.median, want[i].median), close(h.avg, want[i].avg)]).toEqual([
              h.key,
              true,
              true,
            ]);
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it("never files a confidential contact under its former constituent's zip", async () => {
    const c = await makeContact(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      constituentId: people[0],
    });
    await ds.query(`UPDATE contact SET confidential = true, constituent_id = NULL WHERE id = $1`, [c.id]);
    const [fact] = await ds.query(`SELECT zip, confidential FROM contact_fact WHERE contact_id = $1`, [c.id]);
    expect(fact).toEqual({ zip: null, confidential: true });
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM contact_fact WHERE confidential AND zip IS NOT NULL`,
    );
    expect(n).toBe(0);
  });

  it("rebuilds the same facts from the rows when the migration is reverted and applied again", async () => {
    const facts = `SELECT * FROM contact_fact ORDER BY contact_id`;
    const before: unknown[] = await ds.query(facts);
    expect(before.length).toBeGreaterThan(0);
    const qr = ds.createQueryRunner();
    const migration = new ContactStatsRollup1765000600000();
    // Later migrations rewrote or built on this one's objects: unwind them first and apply them again
    // after, so that the files that run after this one see the schema the migrations build.
    const later = [
      new CheaperTriggers1765000950000(),
      new FactLeadOnInsert1765001200000(),
      new ContactStatsCells1765001250000(),
    ];
    try {
      for (const m of [...later].reverse()) await m.down(qr);
      await migration.down(qr);
      const [{ t }] = await qr.query(`SELECT to_regclass('contact_fact')::text AS t`);
      expect(t).toBeNull();
      await migration.up(qr);
      for (const m of later) await m.up(qr);
    } finally {
      await qr.release();
    }
    expect(await ds.query(facts)).toEqual(before);
  });
});

/** The cells as rows, in a stable order, and the same cells rebuilt from the facts (then rolled back). */
async function cellsAndRebuilt(): Promise<[unknown[], unknown[]]> {
  // A sum that went up and back down keeps its digits' scale: compared by value.
  const cells = async (db: { query: DataSource["query"] }) =>
    (
      (await db.query(`SELECT * FROM contact_stats_cell
        ORDER BY kind, week, category_id, department_id, channel, zip`)) as { hours_sum: string }[]
    ).map((c) => ({ ...c, hours_sum: Number(c.hours_sum) }));
  const kept = await cells(ds);
  const qr = ds.createQueryRunner();
  try {
    await qr.startTransaction();
    await qr.query(`SELECT contact_stats_rebuild($1)`, [config().STAR_TIME_ZONE]);
    return [kept, await cells(qr)];
  } finally {
    await qr.rollbackTransaction();
    await qr.release();
  }
}

/** Less than an hour off in the first bucket, less than a band's ratio off beyond it. */
const withinBand = (got: number | null, exact: number | null) =>
  got === null || exact === null
    ? got === exact
    : Math.abs(got - exact) < 1 || Math.max(got / exact, exact / got) < BAND_RATIO;

const dimensionFilterArb = fc.record(
  {
    channel: fc.subarray([Channel.PHONE, Channel.WEB, Channel.EMAIL], { minLength: 1 }),
    categoryId: fc.constant(null).map(() => [city.pothole.id]),
    departmentId: fc.constant(null).map(() => [city.water.id]),
  },
  { requiredKeys: [] },
);

describe("contact statistics from the cells", () => {
  beforeAll(async () => {
    expect(await ensureContactStatsCells(ds)).toBe(true);
    expect(await ensureContactStatsCells(ds)).toBe(false);
  });

  it("keep the cells equal to a rebuild from the facts, and answer as the facts do, after any writes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(newContact, newContact, change), { minLength: 1, maxLength: 12 }),
        fc.subarray(Object.values(StatsDimension), { maxLength: 2 }),
        dimensionFilterArb,
        async (ops, groupBy, filter) => {
          for (const op of ops) await apply(op);
          const [kept, rebuilt] = await cellsAndRebuilt();
          expect(kept).toEqual(rebuilt);
          const got = await contactStats(ds, city.analyst.viewer, { groupBy, filter });
          const usesCells =
            !groupBy.includes(StatsDimension.ZIP) ||
            (!groupBy.some((d) =>
              [StatsDimension.CATEGORY, StatsDimension.DEPARTMENT, StatsDimension.CHANNEL].includes(d),
            ) &&
              Object.keys(filter).length === 0);
          expect(got.every((r) => r.medianEstimated === usesCells)).toBe(true);
          const want = expected(await rows(), groupBy, filter);
          const have = actual(got, groupBy);
          expect(have.map(({ median: _m, avg: _a, ...r }) => r)).toEqual(
            want.map(({ median: _m, avg: _a, ...r }) => r),
          );
          have.forEach((h, i) => {
            expect([h.key, withinBand(h.median, want[i].median), close(h.avg, want[i].avg)]).toEqual([
              h.key,
              true,
              true,
            ]);
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it("stay exact when many contacts of one week, category and channel are recorded at once", async () => {
    await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        makeContact(ds, city.intake.viewer, {
          categoryId: city.pothole.id,
          constituentId: people[i % people.length],
          channel: Channel.PHONE,
        }),
      ),
    );
    const [kept, rebuilt] = await cellsAndRebuilt();
    expect(kept).toEqual(rebuilt);
  });

  it("read the facts when the filter narrows by more than the cells hold", async () => {
    const got = await contactStats(ds, city.analyst.viewer, {
      groupBy: [StatsDimension.CATEGORY],
      filter: { text: "pothole" },
    });
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((r) => !r.medianEstimated)).toBe(true);
  });

  it("are built again for another time zone, and until then the facts answer", async () => {
    await ds.query(`SELECT contact_stats_rebuild('Pacific/Kiritimati')`);
    const got = await contactStats(ds, city.analyst.viewer, { groupBy: [StatsDimension.WEEK] });
    expect(got.every((r) => !r.medianEstimated)).toBe(true);
    expect(await ensureContactStatsCells(ds)).toBe(true);
    const [kept, rebuilt] = await cellsAndRebuilt();
    expect(kept).toEqual(rebuilt);
    const again = await contactStats(ds, city.analyst.viewer, { groupBy: [StatsDimension.WEEK] });
    expect(again.map(({ week, count }) => [week, count])).toEqual(
      got.map(({ week, count }) => [week, count]),
    );
  });

  it("count the contacts written before they were built, and keep them after", async () => {
    await ds.query(`DELETE FROM contact_stats_state`);
    const c = await makeContact(ds, city.intake.viewer, {
      categoryId: city.pothole.id,
      constituentId: people[0],
    });
    expect(await ensureContactStatsCells(ds)).toBe(true);
    await ds.query(`UPDATE assignment SET status = 'IN_PROGRESS' WHERE contact_id = $1 AND is_lead`, [c.id]);
    const [kept, rebuilt] = await cellsAndRebuilt();
    expect(kept).toEqual(rebuilt);
  });
});
