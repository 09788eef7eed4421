import type { DataSource } from "typeorm";
import { AssignmentStatus, Category, Channel, Contact } from "../../entities";
import { resetConfig } from "../../src/server/config/config";
import { makeAssignment } from "../factories/assignment.factory";
import { makeApiKey, makeBulkContacts } from "../factories/open311.factory";
import { makeCategory, makeCity } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase, rowCount } from "../support/db";
import {
  bothFormats,
  fetchText,
  parseXml,
  postForm,
  startOpen311Server,
  type Open311Server,
} from "../support/open311";
import { revokeApiKey } from "../../src/server/open311/api-key.service";

type Req = Record<string, string | number | null>;

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
let server: Open311Server;
let v2: string;
let key: string;
const DAY = 86_400_000;

const ATTRIBUTES = [
  {
    variable: true,
    code: "size",
    datatype: "singlevaluelist",
    required: true,
    datatype_description: null,
    order: 1,
    description: "How big is it?",
    values: [
      { key: "small", name: "Small" },
      { key: "large", name: "Large & deep" },
    ],
  },
  { variable: true, code: "lane", datatype: "string", required: false, order: 2, description: "Which lane?" },
  { code: "broken", datatype: "nonsense" },
];

/** A contact received `daysAgo` days ago, its lead assignment in `status`. */
async function report(
  daysAgo: number,
  status: AssignmentStatus,
  extra: Partial<Pick<Contact, "categoryId">> = {},
) {
  const made = await makeAssignment(ds, city.intake.viewer, {
    categoryId: extra.categoryId ?? city.pothole.id,
    assignment: {
      status,
      ...(status === AssignmentStatus.COMPLETED ? { completedAt: new Date(Date.now() - DAY) } : {}),
    },
  });
  await ds
    .getRepository(Contact)
    .update({ id: made.contact.id }, { receivedAt: new Date(Date.now() - daysAgo * DAY) });
  return made;
}

const ids = (list: Req[]) => list.map((r) => r.service_request_id);

let recent: Awaited<ReturnType<typeof report>>;
let closed: Awaited<ReturnType<typeof report>>;
let leak: Awaited<ReturnType<typeof report>>;
let old: Awaited<ReturnType<typeof report>>;

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  await ds
    .getRepository(Category)
    .update({ id: city.pothole.id }, { open311Attributes: ATTRIBUTES as never });
  await makeCategory(ds, { name: "Retired service", active: false, departmentId: city.streets.id });
  await makeCategory(ds, { name: "Not offered", open311ServiceCode: null, departmentId: city.streets.id });
  key = (await makeApiKey(ds, city.admin.viewer)).key;
  recent = await report(1, AssignmentStatus.IN_PROGRESS);
  closed = await report(10, AssignmentStatus.COMPLETED);
  leak = await report(20, AssignmentStatus.OPEN, { categoryId: city.leak.id });
  old = await report(100, AssignmentStatus.OPEN);
  server = await startOpen311Server(ds);
  v2 = `${server.url}/open311/v2`;
});
afterAll(async () => {
  await server?.close();
  await ds.destroy();
});

describe("Open311 discovery", () => {
  it("describes the GeoReport v2 endpoint and both formats, the same in JSON and XML", async () => {
    const { json } = await bothFormats<Record<string, unknown>>(
      server.url,
      "/open311/discovery",
      "discovery",
    );
    expect(json).toMatchObject({
      changeset: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/),
      endpoints: [
        {
          specification: "http://wiki.open311.org/GeoReport_v2",
          url: `${server.url}/open311/v2`,
          type: "production",
          formats: ["text/xml", "application/json"],
        },
      ],
    });
    expect(String(json.key_service)).toMatch(/address_id is not supported/);
  });
});

describe("GET services", () => {
  it("offers each active category that has a service code, with its department as the group", async () => {
    const { json } = await bothFormats<Req[]>(v2, "/services", "services");
    expect(json.map((s) => s.service_name).sort()).toEqual(["Pothole", "Water leak"]);
    expect(json.find((s) => s.service_name === "Pothole")).toEqual({
      service_code: city.pothole.open311ServiceCode,
      service_name: "Pothole",
      description: null,
      metadata: true,
      type: "realtime",
      keywords: "",
      group: "Street Maintenance",
    });
    expect(json.find((s) => s.service_name === "Water leak")?.metadata).toBe(false);
  });

  it("gives a service's definition: its well-formed attributes in order, with their values", async () => {
    const code = city.pothole.open311ServiceCode!;
    const { json } = await bothFormats<{ service_code: string; attributes: Req[] }>(
      v2,
      `/services/${code}`,
      "service_definition",
    );
    expect(json.service_code).toBe(code);
    expect(json.attributes).toEqual([
      {
        variable: true,
        code: "size",
        datatype: "singlevaluelist",
        required: true,
        datatype_description: null,
        order: 1,
        description: "How big is it?",
        values: [
          { key: "small", name: "Small" },
          { key: "large", name: "Large & deep" },
        ],
      },
      {
        variable: true,
        code: "lane",
        datatype: "string",
        required: false,
        datatype_description: null,
        order: 2,
        description: "Which lane?",
        values: [],
      },
    ]);
  });

  it("answers 404 with a list of code and description for an unknown service, in either format", async () => {
    const { json } = await bothFormats<Req[]>(v2, "/services/NOPE", "errors", 404);
    expect(json).toEqual([{ code: 404, description: "service_code NOPE not found" }]);
  });
});

describe("GET requests", () => {
  it("by default lists the last 90 days, newest first, the same in JSON and XML", async () => {
    const { json } = await bothFormats<Req[]>(v2, "/requests", "service_requests");
    expect(ids(json)).toEqual([recent, closed, leak].map((r) => r.contact.referenceNumber));
  });

  it("shows each request's status, agency, service, times with their zone and the SLA's due date", async () => {
    const { json } = await bothFormats<Req[]>(
      v2,
      `/requests?service_request_id=${recent.contact.referenceNumber}`,
      "service_requests",
    );
    const c = await ds.getRepository(Contact).findOneByOrFail({ id: recent.contact.id });
    expect(json).toEqual([
      {
        service_request_id: recent.contact.referenceNumber,
        status: "open",
        status_notes: "Street Maintenance is working on this request.",
        service_name: "Pothole",
        service_code: city.pothole.open311ServiceCode,
        description: c.description,
        agency_responsible: "Street Maintenance",
        service_notice: null,
        requested_datetime: expect.stringMatching(/-07:00$/),
        updated_datetime: expect.stringMatching(/-07:00$/),
        expected_datetime: expect.stringMatching(/-07:00$/),
        address: null,
        address_id: null,
        zipcode: null,
        lat: null,
        long: null,
        media_url: null,
      },
    ]);
    const r = json[0];
    expect(new Date(String(r.requested_datetime)).getTime()).toBe(
      Math.floor(c.receivedAt.getTime() / 1000) * 1000,
    );
    expect(new Date(String(r.expected_datetime)).getTime()).toBe(
      Math.floor(recent.assignment.dueAt.getTime() / 1000) * 1000,
    );
  });

  it("filters by status: closed is a contact whose assignments are all complete, open is every other", async () => {
    const open = await bothFormats<Req[]>(v2, "/requests?status=open", "service_requests");
    expect(ids(open.json)).toEqual([recent, leak].map((r) => r.contact.referenceNumber));
    const done = await bothFormats<Req[]>(v2, "/requests?status=closed", "service_requests");
    expect(ids(done.json)).toEqual([closed.contact.referenceNumber]);
    expect(done.json[0]).toMatchObject({ status: "closed", status_notes: "Answered by Street Maintenance." });
    const both = await fetchText(`${v2}/requests.json?status=open,closed`);
    expect(ids(JSON.parse(both.text))).toHaveLength(3);
  });

  it("filters by service_code, one or a comma list", async () => {
    const one = JSON.parse(
      (await fetchText(`${v2}/requests.json?service_code=${city.leak.open311ServiceCode}`)).text,
    );
    expect(ids(one)).toEqual([leak.contact.referenceNumber]);
    const list = JSON.parse(
      (
        await fetchText(
          `${v2}/requests.json?service_code=${city.leak.open311ServiceCode},${city.pothole.open311ServiceCode}`,
        )
      ).text,
    );
    expect(ids(list)).toHaveLength(3);
  });

  it("filters by start_date and end_date, and a start_date alone looks 90 days on", async () => {
    const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
    const window = JSON.parse(
      (await fetchText(`${v2}/requests.json?start_date=${iso(15)}&end_date=${iso(5)}`)).text,
    );
    expect(ids(window)).toEqual([closed.contact.referenceNumber]);
    const fromOld = JSON.parse((await fetchText(`${v2}/requests.json?start_date=${iso(105)}`)).text);
    expect(ids(fromOld)).toEqual([leak, old].map((r) => r.contact.referenceNumber));
    const untilOld = JSON.parse((await fetchText(`${v2}/requests.json?end_date=${iso(95)}`)).text);
    expect(ids(untilOld)).toEqual([old.contact.referenceNumber]);
    const offset = await fetchText(
      `${v2}/requests.json?start_date=${encodeURIComponent("2020-01-01T00:00:00-07:00")}&end_date=2020-03-01`,
    );
    expect(offset.status).toBe(200);
  });

  it("lets service_request_id, a comma list, override every other filter", async () => {
    const list = `${old.contact.referenceNumber},${closed.contact.referenceNumber.toLowerCase()},STAR-00-999999`;
    const { json } = await bothFormats<Req[]>(
      v2,
      `/requests?service_request_id=${list}&status=open`,
      "service_requests",
    );
    expect(ids(json)).toEqual([closed, old].map((r) => r.contact.referenceNumber));
    // Overridden filters are not read, so not refused either.
    const ignored = await bothFormats<Req[]>(
      v2,
      `/requests?service_request_id=${list}&start_date=not-a-date&status=sideways&service_code=`,
      "service_requests",
    );
    expect(ids(ignored.json)).toEqual(ids(json));
  });

  it("returns at most 1,000 requests, the newest", async () => {
    await makeBulkContacts(ds, {
      categoryId: city.leak.id,
      departmentId: city.water.id,
      count: 1005,
      newest: new Date(Date.now() - 30 * DAY),
    });
    try {
      const { json } = await bothFormats<Req[]>(v2, "/requests", "service_requests");
      expect(json).toHaveLength(1000);
      expect(ids(json).slice(0, 4)).toEqual(
        [recent, closed, leak].map((r) => r.contact.referenceNumber).concat("BULK-000001"),
      );
      expect(json[999].service_request_id).toBe("BULK-000997");
    } finally {
      await ds.query(`DELETE FROM contact WHERE reference_number LIKE 'BULK-%'`);
    }
  });

  it("refuses a span over 90 days, an end before the start, a time without zone and an unknown status with 400", async () => {
    const cases = [
      ["start_date=2026-01-01T00:00:00Z&end_date=2026-04-02T00:00:00Z", /at most 90 days/],
      ["start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", /must not be before start_date/],
      ["start_date=2026-02-01T10:00:00", /ISO 8601 time with its zone/],
      ["start_date=yesterday", /ISO 8601/],
      ["status=pending", /open or closed/],
    ] as const;
    for (const [query, message] of cases) {
      for (const format of ["json", "xml"]) {
        const res = await fetchText(`${v2}/requests.${format}?${query}`);
        expect(res.status).toBe(400);
        const errors =
          format === "json"
            ? (JSON.parse(res.text) as Req[])
            : (parseXml(res.text).errors as { error: Req[] }).error;
        expect(errors).toEqual([
          { code: format === "json" ? 400 : "400", description: expect.stringMatching(message) },
        ]);
      }
    }
  });
});

describe("GET requests/{id}", () => {
  it("gives one request by its reference number, as a list of one", async () => {
    const { json } = await bothFormats<Req[]>(
      v2,
      `/requests/${old.contact.referenceNumber}`,
      "service_requests",
    );
    expect(ids(json)).toEqual([old.contact.referenceNumber]);
  });

  it("answers 404 for an unknown request", async () => {
    const { json } = await bothFormats<Req[]>(v2, "/requests/STAR-00-999999", "errors", 404);
    expect(json).toEqual([{ code: 404, description: "service_request_id STAR-00-999999 not found" }]);
  });

  it("shows a duplicate with its first report's status and agency", async () => {
    const dup = await report(2, AssignmentStatus.OPEN);
    await ds.query(`UPDATE assignment SET status = 'CANCELLED' WHERE contact_id = $1`, [dup.contact.id]);
    await ds.getRepository(Contact).update({ id: dup.contact.id }, { duplicateOfId: closed.contact.id });
    const [r] = JSON.parse(
      (await fetchText(`${v2}/requests/${dup.contact.referenceNumber}.json`)).text,
    ) as Req[];
    expect(r).toMatchObject({
      status: "closed",
      agency_responsible: "Street Maintenance",
      status_notes: `Reported earlier as ${closed.contact.referenceNumber}; answered with that request.`,
    });
  });
});

describe("POST requests", () => {
  const pothole = () => ({
    api_key: key,
    service_code: city.pothole.open311ServiceCode!,
    lat: "33.4484",
    long: "-112.0740",
    address_string: "200 W Washington St",
    description: "Deep pothole in the eastbound lane.",
    "attribute[size]": "large",
    first_name: "Quinn",
    last_name: "Opentest",
    email: "quinn.opentest@example.com",
  });

  it("takes a request on the OPEN311 channel through the public intake, and answers with its id and token", async () => {
    const res = await postForm(`${v2}/requests.json`, pothole());
    expect(res.status).toBe(200);
    const [answer] = JSON.parse(res.text) as Req[];
    expect(answer).toEqual({
      service_request_id: expect.stringMatching(/^STAR-\d{2}-\d{6}$/),
      token: expect.any(String),
      service_notice: expect.stringMatching(
        /^Street Maintenance will handle this request; expected by .+-07:00\.$/,
      ),
      account_id: null,
    });
    const contact = await ds
      .getRepository(Contact)
      .findOneByOrFail({ referenceNumber: String(answer.service_request_id) });
    expect(contact).toMatchObject({
      channel: Channel.OPEN311,
      categoryId: city.pothole.id,
      locationAddress: "200 W Washington St",
      locationLat: 33.4484,
      locationLong: -112.074,
      confidential: false,
      description: "Deep pothole in the eastbound lane.\n\nHow big is it?: Large & deep",
    });
    const [lead] = await ds.query(`SELECT department_id, status FROM assignment WHERE contact_id = $1`, [
      contact.id,
    ]);
    expect(lead).toEqual({ department_id: city.streets.id, status: "OPEN" });

    const byToken = await bothFormats<Req[]>(v2, `/tokens/${answer.token}`, "service_requests");
    expect(byToken.json).toEqual([{ service_request_id: answer.service_request_id, token: answer.token }]);
    const shown = JSON.parse(
      (await fetchText(`${v2}/requests/${answer.service_request_id}.json`)).text,
    ) as Req[];
    expect(shown[0]).toMatchObject({ status: "open", address: "200 W Washington St", lat: 33.4484 });
    const [{ last_used_at }] = await ds.query(`SELECT last_used_at FROM api_key WHERE key_prefix = $1`, [
      key.slice(0, 12),
    ]);
    expect(last_used_at).toBeInstanceOf(Date);
  });

  it("answers in XML to a POST to requests.xml", async () => {
    const res = await postForm(`${v2}/requests.xml`, pothole());
    expect(res.status).toBe(200);
    const xml = parseXml(res.text) as { service_requests: { request: Req[] } };
    expect(xml.service_requests.request[0].service_request_id).toMatch(/^STAR-\d{2}-\d{6}$/);
  });

  it("takes a report with nothing personal as anonymous: no person, not confidential, public like any other", async () => {
    const { first_name: _f, last_name: _l, email: _e, ...anonymous } = pothole();
    const res = await postForm(`${v2}/requests.json`, anonymous);
    expect(res.status).toBe(200);
    const [answer] = JSON.parse(res.text) as Req[];
    const contact = await ds
      .getRepository(Contact)
      .findOneByOrFail({ referenceNumber: String(answer.service_request_id) });
    expect(contact).toMatchObject({ confidential: false, constituentId: null });
    expect(await ds.query(`SELECT 1 FROM confidential_callback WHERE contact_id = $1`, [contact.id])).toEqual(
      [],
    );
    // The token, the contact and its audit event were written by one transaction.
    const [token] = await ds.query(`SELECT xmin::text AS xid FROM open311_token WHERE token = $1`, [
      answer.token,
    ]);
    const [written] = await ds.query(`SELECT xmin::text AS xid FROM contact WHERE id = $1`, [contact.id]);
    expect(token.xid).toBe(written.xid);
    const shown = JSON.parse(
      (await fetchText(`${v2}/requests/${answer.service_request_id}.json`)).text,
    ) as Req[];
    expect(shown[0]).toMatchObject({ description: expect.stringContaining("Deep pothole"), lat: 33.4484 });
  });

  it("takes a request with an email but no name as a confidential one: no name stored, the email kept as its callback", async () => {
    const { first_name: _f, last_name: _l, ...anonymous } = pothole();
    const res = await postForm(`${v2}/requests.json`, anonymous);
    expect(res.status).toBe(200);
    const [answer] = JSON.parse(res.text) as Req[];
    const contact = await ds
      .getRepository(Contact)
      .findOneByOrFail({ referenceNumber: String(answer.service_request_id) });
    expect(contact).toMatchObject({ confidential: true, constituentId: null });
    const [callback] = await ds.query(`SELECT email FROM confidential_callback WHERE contact_id = $1`, [
      contact.id,
    ]);
    expect(callback.email).toBe("quinn.opentest@example.com");
  });

  it("refuses a missing, unknown or revoked api_key with 403, and writes nothing", async () => {
    const other = await makeApiKey(ds, city.admin.viewer);
    await revokeApiKey(ds, city.admin.viewer, { id: other.apiKey.id });
    const before = await rowCount(ds, "contact");
    for (const apiKey of [undefined, "", "o311_not-a-key", other.key]) {
      const { api_key: _k, ...rest } = pothole();
      for (const format of ["json", "xml"]) {
        const res = await postForm(
          `${v2}/requests.${format}`,
          apiKey === undefined ? rest : { ...rest, api_key: apiKey },
        );
        expect(res.status).toBe(403);
        const errors =
          format === "json"
            ? JSON.parse(res.text)
            : (parseXml(res.text).errors as { error: unknown[] }).error;
        expect(errors).toEqual([
          {
            code: format === "json" ? 403 : "403",
            description: "A valid api_key is required to submit a request",
          },
        ]);
      }
    }
    expect(await rowCount(ds, "contact")).toBe(before);
  });

  it("refuses bad requests with 400 naming the parameter, and writes nothing", async () => {
    const before = await rowCount(ds, "contact");
    const { lat: _a, long: _b, address_string: _c, ...nowhere } = pothole();
    const cases: [Record<string, string | string[]>, RegExp][] = [
      [{ ...pothole(), service_code: "" }, /^service_code: is required/],
      [{ ...pothole(), service_code: "NOPE" }, /^service_code: no such service/],
      [nowhere, /^lat: say where the issue is/],
      [{ ...nowhere, address_id: "12345" }, /^address_id: is not supported here/],
      [{ ...nowhere, lat: "33.4" }, /^long: give both lat and long/],
      [{ ...pothole(), lat: "north" }, /^lat: must be a decimal number/],
      [{ ...pothole(), lat: "95", long: "10" }, /^lat: must be between -90 and 90/],
      [{ ...pothole(), "attribute[size]": [] }, /^attribute\[size\]: is required/],
      [{ ...pothole(), "attribute[size]": "huge" }, /^attribute\[size\]: must be one of small, large/],
      [{ ...pothole(), "attribute[colour]": "red" }, /^attribute\[colour\]: is not an attribute/],
      [{ ...pothole(), description: "x".repeat(4001) }, /^description: must be at most 4000 characters/],
      [{ ...pothole(), description: "x".repeat(3990) }, /^description: with the attribute answers/],
      [{ ...pothole(), email: "not-an-email" }, /^email: is not a valid email address/],
    ];
    for (const [fields, message] of cases) {
      const res = await postForm(`${v2}/requests.json`, fields);
      expect({ status: res.status, errors: JSON.parse(res.text) }).toEqual({
        status: 400,
        errors: [{ code: 400, description: expect.stringMatching(message) }],
      });
    }
    const notForm = await fetchText(`${v2}/requests.json`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(pothole()),
    });
    expect(notForm.status).toBe(400);
    expect(await rowCount(ds, "contact")).toBe(before);
  });
});

describe("Open311 errors", () => {
  it("answers 404 for an unknown token, resource or format (XML when the format is unknown)", async () => {
    const { json } = await bothFormats<Req[]>(v2, "/tokens/nope", "errors", 404);
    expect(json).toEqual([{ code: 404, description: "token nope not found" }]);
    await bothFormats(v2, "/nothing", "errors", 404);
    const noFormat = await fetchText(`${v2}/services.csv`);
    expect(noFormat.status).toBe(404);
    expect(noFormat.contentType).toBe("text/xml; charset=utf-8");
    expect(parseXml(noFormat.text)).toEqual({
      errors: {
        error: [{ code: "404", description: "No such Open311 resource: add .json or .xml to the path" }],
      },
    });
  });

  it("answers 400 for a method the resource does not take", async () => {
    const res = await fetchText(`${v2}/services.json`, { method: "DELETE" });
    expect(res.status).toBe(400);
    expect(res.headers.get("allow")).toBe("GET");
    expect(JSON.parse(res.text)).toEqual([{ code: 400, description: "DELETE is not allowed here; use GET" }]);
  });

  it("answers 404 for another jurisdiction when one is configured", async () => {
    process.env.STAR_OPEN311_JURISDICTION_ID = "city.example";
    resetConfig();
    try {
      expect((await fetchText(`${v2}/services.json?jurisdiction_id=elsewhere.example`)).status).toBe(404);
      expect((await fetchText(`${v2}/services.json?jurisdiction_id=city.example`)).status).toBe(200);
      expect((await fetchText(`${v2}/services.json`)).status).toBe(200);
    } finally {
      delete process.env.STAR_OPEN311_JURISDICTION_ID;
      resetConfig();
    }
  });
});
