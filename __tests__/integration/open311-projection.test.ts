import type { DataSource } from "typeorm";
import {
  Category,
  Channel,
  Constituent,
  Contact,
  Department,
  ResponseChannel,
  ResponseKind,
  Role,
} from "../../entities";
import { Open311Projection1765000800000 } from "../../migrations/1765000800000-open311-projection";
import { Open311Fragments1765001300000 } from "../../migrations/1765001300000-open311-fragments";
import {
  claimAssignment,
  completeAssignment,
  reopenContact,
  respondToAssignment,
} from "../../src/server/assignments/assignment.service";
import { transferAssignment } from "../../src/server/assignments/transfer.service";
import type { Viewer } from "../../src/server/auth/viewer";
import { resetConfig } from "../../src/server/config/config";
import { mergeConstituents, updateConstituent } from "../../src/server/constituents/constituent.service";
import { linkDuplicateContact } from "../../src/server/intake/duplicate-contacts.service";
import { recordContact } from "../../src/server/intake/intake.service";
import { render, type Open311Format } from "../../src/server/open311/open311-format";
import {
  listRequests,
  parseRequestsQuery,
  type RequestsQuery,
} from "../../src/server/open311/open311.service";
import { makeAnswer } from "../factories/assignment.factory";
import { makeConstituent } from "../factories/constituent.factory";
import { makeCategory, makeCity, makeDepartment, makeStaff } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";
import { referenceRequests } from "../support/open311-reference";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
let codes: string[];
let parks: Department;
let graffiti: Category;
let uncoded: Category;
const refs: string[] = [];
const DAY = 86_400_000;

const PEOPLE = [
  { firstName: "José", lastName: "Núñez de la Peña", addressLine1: "12 E Ocotillo Rd" },
  { firstName: "Mary-Kate", lastName: "O'Neil", addressLine1: "90 N 7th St" },
  { firstName: "Li", lastName: "Wu", addressLine1: null },
  { firstName: null, lastName: "Ångström", addressLine1: "3 W Palm Ln" },
  { firstName: "Dee", lastName: null, addressLine1: "1200 N Central Ave" },
];

/** Texts as people and clerks type them: names, contacts, homes, markup, controls, accents, emoji. */
function description(i: number, p: (typeof PEOPLE)[number]): string {
  const name = [p.firstName, p.lastName].filter(Boolean).join(" ");
  return [
    `Report ${i}: ${name.toUpperCase()} says "deep" & 'wide' (2 < 3 > 1) pothole 🕳️.`,
    i % 2 ? `Write to ${i}.caller@example.org or call (602) 555-01${String(i).padStart(2, "0")}.` : "",
    i % 3 ? `Lives at ${p.addressLine1 ?? "no fixed address"}; tabs\tand\nnew lines.` : "",
    i % 5 === 0 ? `Vecina ${(p.lastName ?? "").normalize("NFD")} llamó +52 55 1234 5678.` : "",
  ]
    .filter(Boolean)
    .join(" ");
}

const COORDINATES: [number | null, number | null][] = [
  [33.4484, -112.074],
  [null, null],
  [0, 0],
  [0.00001, -0.0000003],
  [-33.123456789012, 151.2],
  [45, 179.99999999999],
];

function query(raw: string): RequestsQuery {
  return parseRequestsQuery(new URLSearchParams(raw));
}

/** What the projection answers, and what reading contacts straight (as before) answers, in one format. */
async function both(q: RequestsQuery, format: Open311Format) {
  const got = await listRequests(ds, q, format);
  const want = render(format, "service_requests", await referenceRequests(ds, q));
  return { got: got.body, want, count: got.count };
}

function queries(): [string, RequestsQuery][] {
  const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
  return [
    ["default", query("")],
    ["open", query("status=open")],
    ["closed", query("status=closed")],
    ["one code", query(`service_code=${codes[0]}`)],
    ["codes and closed", query(`service_code=${codes.join(",")}&status=closed`)],
    ["window", query(`start_date=${iso(30)}&end_date=${iso(3)}`)],
    ["old window", query(`end_date=${iso(60)}`)],
    ["ids", query(`service_request_id=${[...refs, "STAR-00-999999"].join(",")}&status=open`)],
  ];
}

async function expectSameAsBefore(zones = ["America/Phoenix"]) {
  for (const zone of zones) {
    process.env.STAR_TIME_ZONE = zone;
    resetConfig();
    try {
      for (const [label, q] of queries()) {
        for (const format of ["json", "xml"] as const) {
          const { got, want, count } = await both(q, format);
          expect({ label, zone, format, body: got }).toEqual({ label, zone, format, body: want });
          if (label === "default" || label === "ids") expect(count).toBeGreaterThan(10);
        }
      }
    } finally {
      delete process.env.STAR_TIME_ZONE;
      resetConfig();
    }
  }
}

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  parks = await makeDepartment(ds, { name: `Parks & <Recreation> "West"` });
  graffiti = await makeCategory(ds, { name: "Graffiti & 'tags'", departmentId: parks.id });
  uncoded = await makeCategory(ds, { name: "Not offered", open311ServiceCode: null });
  const categories = [city.pothole, city.leak, graffiti, uncoded];
  codes = [city.pothole.open311ServiceCode!, graffiti.open311ServiceCode!];
  const people = [];
  for (const p of PEOPLE) people.push(await makeConstituent(ds, city.intake.viewer, p));

  const made: Contact[] = [];
  for (let i = 0; i < 36; i++) {
    const confidential = i % 7 === 3;
    const person = PEOPLE[i % PEOPLE.length];
    const [lat, long] = COORDINATES[i % COORDINATES.length];
    const c = await recordContact(ds, city.intake.viewer, {
      channel: Channel.PHONE,
      categoryId: categories[i % categories.length].id,
      description: description(i, person),
      locationAddress: i % 4 === 1 ? null : i % 5 === 0 ? person.addressLine1 : `${100 + i} S 3rd Ave & Main`,
      locationLat: lat,
      locationLong: long,
      ...(confidential
        ? { confidential: true, callbackPhone: "(623) 555-0135" }
        : { constituentId: people[i % people.length].id }),
    });
    made.push(c);
    refs.push(c.referenceNumber);
  }
  // Text the forms refuse but older records and imports hold: markup and control characters.
  for (const i of [2, 9, 17, 25]) {
    await ds.query(`UPDATE contact SET description = description || $2 WHERE id = $1`, [
      made[i].id,
      ` <b>bold</b> \u0001\u000b\u001f\uFFFE and ]]> stay well-formed.`,
    ]);
  }
  // Spread over the last 80 days, some to the same second so the order falls back to the id.
  for (const [i, c] of made.entries()) {
    const receivedAt = new Date(Math.floor((Date.now() - (i % 12) * 7 * DAY - (i % 3) * 1000) / 1000) * 1000);
    await ds.getRepository(Contact).update({ id: c.id }, { receivedAt });
  }

  const lead = (i: number) => made[i].assignments![0];
  const staff = new Map<string, Viewer>();
  for (const c of categories) {
    if (!staff.has(c.departmentId)) {
      staff.set(
        c.departmentId,
        (await makeStaff(ds, Role.DEPARTMENT, { departmentId: c.departmentId })).viewer,
      );
    }
  }
  const worker = (i: number) => staff.get(lead(i).departmentId)!;
  // Same category, as linking requires: the roots are then
  // worked on (completed, transferred), which their duplicates must follow.
  for (const [dup, root] of [
    [8, 0],
    [13, 1],
    [16, 4],
    [7, 15],
  ]) {
    await linkDuplicateContact(ds, city.reviewer.viewer, {
      contactId: made[dup].id,
      duplicateOfId: made[root].id,
    });
  }
  for (const i of [0, 5, 9, 14, 20, 27]) {
    await claimAssignment(ds, worker(i), { id: lead(i).id, version: lead(i).version });
  }
  for (const i of [1, 6, 10, 15, 22, 28, 33]) {
    await makeAnswer(ds, lead(i).id);
    await completeAssignment(ds, worker(i), { id: lead(i).id, version: lead(i).version });
  }
  for (const i of [2, 11]) {
    await respondToAssignment(ds, worker(i), {
      assignmentId: lead(i).id,
      version: lead(i).version,
      kind: ResponseKind.RESPONSE,
      body: "Fixed.",
      channel: ResponseChannel.PHONE,
      isFinal: true,
    });
  }
  for (const i of [4, 12]) {
    await transferAssignment(ds, city.reviewer.viewer, {
      id: lead(i).id,
      version: lead(i).version,
      departmentId: city.water.id,
      reason: "Misrouted",
    });
  }
  await reopenContact(ds, city.reviewer.viewer, { contactId: made[6].id, reason: "Came back" });
  // A root's own status moves after its duplicates joined it.
  await makeAnswer(ds, lead(0).id);
  await completeAssignment(ds, city.reviewer.viewer, {
    id: lead(0).id,
    version: (await ds.query(`SELECT version FROM assignment WHERE id = $1`, [lead(0).id]))[0].version,
  });
  // A contact whose assignments were all cancelled, and one written with no assignment at all.
  await ds.query(`UPDATE assignment SET status = 'CANCELLED' WHERE contact_id = $1`, [made[18].id]);
  const [bare] = await ds.query(
    `INSERT INTO contact (reference_number, channel, received_at, category_id, description, confidential)
     VALUES ('STAR-26-900001', 'LETTER', now() - interval '2 days', $1, 'Letter from dee@example.com', false)
     RETURNING reference_number`,
    [city.pothole.id],
  );
  refs.push(bare.reference_number);
});
afterAll(async () => {
  await ds?.destroy();
});

describe("the open311_request projection", () => {
  it("answers every filter exactly as reading contacts did, in JSON and XML and in several zones", async () => {
    await expectSameAsBefore(["America/Phoenix", "America/New_York", "Asia/Kolkata", "UTC"]);
  });

  it("masks a constituent's new name after a rename, and never shows the old text meanwhile", async () => {
    const [row] = await ds.query(
      `SELECT k.id, k.version FROM constituent k WHERE k.first_name = 'Li' AND k.last_name = 'Wu'`,
    );
    await updateConstituent(ds, city.intake.viewer, {
      id: row.id,
      version: row.version,
      firstName: "Report",
    });
    const [pending] = await ds.query(
      `SELECT bool_and(r.description_pending AND r.description IS NULL) AS cleared
         FROM open311_request r JOIN contact c ON c.id = r.contact_id WHERE c.constituent_id = $1`,
      [row.id],
    );
    expect(pending.cleared).toBe(true);
    const { got } = await both(query(""), "json");
    expect(got).toContain("[name removed] 2:");
    await expectSameAsBefore();
    const [left] = await ds.query(`SELECT count(*)::int AS n FROM open311_request WHERE description_pending`);
    expect(left.n).toBe(0);
  });

  it("masks a pending request that a writer holds once the writer commits, with what the writer wrote", async () => {
    const [row] = await ds.query(
      `SELECT k.id, c.reference_number FROM constituent k JOIN contact c ON c.constituent_id = k.id
        WHERE k.first_name = 'Dee' ORDER BY c.reference_number LIMIT 1`,
    );
    await ds.query(`UPDATE constituent SET last_name = 'Report' WHERE id = $1`, [row.id]);
    const writer = ds.createQueryRunner();
    await writer.startTransaction();
    let answer: Promise<string> | undefined;
    try {
      await writer.query(`UPDATE constituent SET last_name = 'Says' WHERE id = $1`, [row.id]);
      answer = listRequests(ds, query(`service_request_id=${row.reference_number}`), "json").then(
        (d) => d.body,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      await writer.commitTransaction();
    } finally {
      if (writer.isTransactionActive) await writer.rollbackTransaction();
      await writer.release();
    }
    const [shown] = JSON.parse(await answer!);
    expect(shown.description).toMatch(/^Report \d+: \[name removed\] \[name removed\] "deep"/);
    await expectSameAsBefore();
  });

  it("follows edits of a description, a location, a category, a merge and a change to confidential", async () => {
    const [a, b, c] = await ds.query(
      `SELECT id FROM contact WHERE NOT confidential AND constituent_id IS NOT NULL ORDER BY reference_number LIMIT 3`,
    );
    await ds.query(
      `UPDATE contact SET description = 'Now mail x@example.com', location_address = '1 Main St' WHERE id = $1`,
      [a.id],
    );
    await ds.query(`UPDATE contact SET category_id = $2, location_lat = 12.5 WHERE id = $1`, [
      b.id,
      city.leak.id,
    ]);
    await ds.query(`UPDATE contact SET confidential = true, constituent_id = NULL WHERE id = $1`, [c.id]);
    const [survivor, duplicate] = await ds.query(
      `SELECT id FROM constituent WHERE last_name IN ('O''Neil', 'Ångström') ORDER BY last_name`,
    );
    await mergeConstituents(ds, city.reviewer.viewer, {
      survivorId: survivor.id,
      duplicateId: duplicate.id,
      reason: "Same person",
    });
    await expectSameAsBefore();
    const [shown] = await ds.query(`SELECT * FROM open311_request WHERE contact_id = $1`, [c.id]);
    expect(shown).toMatchObject({ confidential: true, description: null, address: null, lat: null });
  });

  it("holds no name, email, phone, callback or confidential text of anyone", async () => {
    const rows: { j: string }[] = await ds.query(`SELECT row_to_json(r)::text AS j FROM open311_request r`);
    const text = rows.map((r) => r.j).join("\n");
    expect(rows.length).toBeGreaterThan(30);
    for (const secret of ["Núñez", "O'Neil", "Mary", "Ångström", "555-01", "@example", "555-0135", "Wu "]) {
      expect(text).not.toContain(secret);
    }
  });

  it("is rebuilt by its migration's backfill to the same answers", async () => {
    const runner = ds.createQueryRunner();
    try {
      // The fragments are built on the projection: unwound first, applied again after.
      const projection = new Open311Projection1765000800000();
      const fragments = new Open311Fragments1765001300000();
      await fragments.down(runner);
      await projection.down(runner);
      await projection.up(runner);
      await fragments.up(runner);
    } finally {
      await runner.release();
    }
    const [left] = await ds.query(`SELECT count(*)::int AS n FROM open311_request WHERE description_pending`);
    expect(left.n).toBe(0);
    await expectSameAsBefore();
  });
});

interface Entry {
  contact_id: string;
  reference_number: string;
  json: string | null;
  xml: string | null;
  rendered_zone: string | null;
  entry_key: string | null;
}

/** The entries open311_request holds, of the rows the condition picks (r: open311_request). */
function entries(condition: string, values: unknown[] = []): Promise<Entry[]> {
  return ds.query(
    `SELECT r.contact_id, r.reference_number, r.json, r.xml, r.rendered_zone, r.entry_key
       FROM open311_request r WHERE ${condition} ORDER BY r.reference_number`,
    values,
  );
}

/** Reads every page (so that every row is written), then gives the entries of all rows. */
async function allWritten(): Promise<Map<string, Entry>> {
  await expectSameAsBefore();
  const all = await entries("true");
  expect(all.filter((e) => e.json === null)).toEqual([]);
  return new Map(all.map((e) => [e.contact_id, e]));
}

/** The entries of the chosen rows were cleared, and only theirs: the others keep what they held. */
async function expectClearedOnly(before: Map<string, Entry>, chosen: Set<string>) {
  expect(chosen.size).toBeGreaterThan(0);
  for (const e of await entries("true")) {
    if (chosen.has(e.contact_id)) {
      expect(e).toMatchObject({ json: null, xml: null, rendered_zone: null, entry_key: null });
    } else {
      expect(e).toEqual(before.get(e.contact_id));
    }
  }
}

const ids = async (condition: string, values: unknown[]) =>
  new Set((await entries(condition, values)).map((e) => e.contact_id));

describe("the entries open311_request holds written ahead", () => {
  it("are written again with a department's new name after a rename, and only that department's", async () => {
    const before = await allWritten();
    const led = await ids(`r.lead_department_id = $1`, [parks.id]);
    await ds.getRepository(Department).update({ id: parks.id }, { name: `Parks & "Trails" <East>` });
    await expectClearedOnly(before, led);
    await expectSameAsBefore(["America/Phoenix", "Asia/Kolkata"]);
    const { got } = await both(query(""), "json");
    expect(got).toContain(`"agency_responsible":"Parks & \\"Trails\\" <East>"`);
    const xml = await both(query(""), "xml");
    expect(xml.got).toContain(
      "<agency_responsible>Parks &amp; &quot;Trails&quot; &lt;East&gt;</agency_responsible>",
    );
    expect(xml.got).not.toContain("Recreation");
  });

  it("are written again with a category's new name and service code", async () => {
    let before = await allWritten();
    await ds.getRepository(Category).update({ id: graffiti.id }, { name: "Graffiti & <murals>" });
    await expectClearedOnly(before, await ids(`r.category_id = $1`, [graffiti.id]));
    await expectSameAsBefore();
    before = await allWritten();
    await ds.getRepository(Category).update({ id: uncoded.id }, { open311ServiceCode: "NEW-1" });
    await expectClearedOnly(before, await ids(`r.category_id = $1`, [uncoded.id]));
    await expectSameAsBefore();
    const { got } = await both(query("service_code=NEW-1"), "json");
    expect(JSON.parse(got).length).toBeGreaterThan(0);
    // Unchanged names and codes clear nothing.
    before = await allWritten();
    await ds.getRepository(Category).update({ id: graffiti.id }, { slaBusinessDays: 9 });
    await ds.getRepository(Department).update({ id: parks.id }, { email: "parks@city.example" });
    expect(new Map((await entries("true")).map((e) => [e.contact_id, e]))).toEqual(before);
  });

  it("are written again when a request's status changes, and show the new status", async () => {
    const before = await allWritten();
    const [open] = await ds.query(
      `SELECT r.contact_id, r.reference_number FROM open311_request r
        WHERE NOT r.closed AND r.root_reference IS NULL AND r.lead_department_id IS NOT NULL
        ORDER BY r.reference_number LIMIT 1`,
    );
    const duplicates = await ids(`r.contact_id IN (SELECT id FROM contact WHERE duplicate_of_id = $1)`, [
      open.contact_id,
    ]);
    await ds.query(
      `UPDATE assignment SET status = 'COMPLETED', completed_at = now() WHERE contact_id = $1 AND is_lead`,
      [open.contact_id],
    );
    await expectClearedOnly(before, new Set([open.contact_id, ...duplicates]));
    await expectSameAsBefore();
    const [shown] = JSON.parse(
      (await both(query(`service_request_id=${open.reference_number}`), "json")).got,
    );
    expect(shown).toMatchObject({ status: "closed", status_notes: expect.stringMatching(/^Answered by /) });
  });

  it("are written again, masked, when what masking reads changes, and never show the old text", async () => {
    const [person] = await ds.query(
      `SELECT k.id, k.address_line1 FROM constituent k JOIN contact c ON c.constituent_id = k.id
        WHERE NOT c.confidential AND k.address_line1 IS NOT NULL ORDER BY k.id LIMIT 1`,
    );
    const before = await allWritten();
    const theirs = await ids(`r.contact_id IN (SELECT id FROM contact WHERE constituent_id = $1)`, [
      person.id,
    ]);
    await ds.getRepository(Constituent).update({ id: person.id }, { addressLine1: "Report" });
    await expectClearedOnly(before, theirs);
    const [pending] = await ds.query(
      `SELECT bool_and(description_pending) AS all FROM open311_request WHERE contact_id = ANY($1::uuid[])`,
      [[...theirs]],
    );
    expect(pending.all).toBe(true);
    await expectSameAsBefore();
    // Their home is now "Report", as most descriptions begin: it is masked wherever it stands.
    const shown = (await entries(`r.contact_id = ANY($1::uuid[])`, [[...theirs]])).map(
      (e) => JSON.parse(e.json!).description as string,
    );
    for (const d of shown) expect(d).not.toContain("Report");
    expect(shown.some((d) => d.startsWith("[address removed] "))).toBe(true);
  });

  it("hold no description or location of a request made confidential", async () => {
    const [c] = await ds.query(
      `SELECT r.contact_id, r.reference_number FROM open311_request r
        WHERE NOT r.confidential AND r.address IS NOT NULL AND r.lat IS NOT NULL
        ORDER BY r.reference_number LIMIT 1`,
    );
    const [source] = await ds.query(`SELECT description, location_address FROM contact WHERE id = $1`, [
      c.contact_id,
    ]);
    const before = await allWritten();
    await ds.query(`UPDATE contact SET confidential = true, constituent_id = NULL WHERE id = $1`, [
      c.contact_id,
    ]);
    await expectClearedOnly(before, new Set([c.contact_id]));
    await expectSameAsBefore();
    const [e] = await entries(`r.contact_id = $1`, [c.contact_id]);
    const shown = JSON.parse(e.json!);
    expect(shown).toMatchObject({ description: null, address: null, lat: null, long: null });
    expect(e.xml).toContain("<description/>");
    expect(e.xml).toContain("<address/><address_id/><zipcode/><lat/><long/>");
    for (const secret of [source.description.slice(0, 12), source.location_address]) {
      expect(`${e.json}${e.xml}`).not.toContain(secret);
    }
  });

  it("are written in the zone they are read in, and say which", async () => {
    await expectSameAsBefore(["Asia/Kolkata"]);
    const shown = await entries(`r.received_at >= now() - interval '90 days'`);
    expect(new Set(shown.map((e) => e.rendered_zone))).toEqual(new Set(["Asia/Kolkata"]));
    const [one] = shown;
    expect(one.json).toMatch(/"requested_datetime":"[^"]+\+05:30"/);
    await expectSameAsBefore();
    const [again] = await entries(`r.contact_id = $1`, [one.contact_id]);
    expect(again.rendered_zone).toBe("America/Phoenix");
    expect(again.entry_key).not.toBe(one.entry_key);
  });

  it("answer a page read again with the same text, and a changed page with the change", async () => {
    const first = await both(query(""), "json");
    expect((await both(query(""), "json")).got).toBe(first.got);
    const [c] = await ds.query(
      `SELECT r.contact_id FROM open311_request r WHERE r.lat IS NOT NULL AND r.received_at >= now() - interval '90 days'
        ORDER BY r.reference_number LIMIT 1`,
    );
    await ds.query(`UPDATE contact SET location_lat = 1.25 WHERE id = $1`, [c.contact_id]);
    const after = await both(query(""), "json");
    expect(after.got).toBe(after.want);
    expect(after.got).not.toBe(first.got);
    expect(after.got).toContain(`"lat":1.25`);
  });
});
