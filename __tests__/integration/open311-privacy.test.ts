import type { DataSource } from "typeorm";
import { Channel, ResponseChannel, ResponseKind } from "../../entities";
import { respondToAssignment } from "../../src/server/assignments/assignment.service";
import { recordContact } from "../../src/server/intake/intake.service";
import { makeConstituent } from "../factories/constituent.factory";
import { makeApiKey } from "../factories/open311.factory";
import { makeCity } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase } from "../support/db";
import { fetchText, postForm, startOpen311Server, type Open311Server } from "../support/open311";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;
let server: Open311Server;
let v2: string;
let key: string;
const bodies: string[] = [];
const references: string[] = [];

// Distinctive, so that a hit can only be a leak.
const PEOPLE = [
  {
    firstName: "Wilhelmina",
    lastName: "Quackenbush",
    email: "w.quackenbush@example.org",
    phone: "(480) 555-0173",
    phoneE164: "+14805550173",
    addressLine1: "4471 E Ocotillo Bend Rd",
  },
  {
    firstName: "Bartholomew",
    lastName: "Zyzzyva",
    email: "bz.zyzzyva@example.net",
    phone: "(602) 555-0188",
    phoneE164: "+16025550188",
    addressLine1: "8812 W Palo Brea Ct",
  },
];
const CONFIDENTIAL = {
  callbackPhone: "(623) 555-0135",
  callbackPhoneE164: "+16235550135",
  callbackEmail: "quiet.neighbour@example.com",
  location: "7301 N Whistleblower Way",
  description: "The yard behind the fence at the blue house collects junk cars; I live two doors down.",
};
const POSTED = {
  first_name: "Cornelius",
  last_name: "Vandersnoot",
  email: "cornelius.vandersnoot@example.com",
  phone: "520-555-0147",
};

/** Every spelling of personal data that must not appear in any Open311 answer. */
function secrets(): string[] {
  return [
    ...PEOPLE.flatMap((p) => [
      p.firstName,
      p.lastName,
      p.email,
      p.phone,
      p.phoneE164,
      p.phone.replace(/\D/g, ""),
      "555-0173",
      "555-0188",
      p.addressLine1,
    ]),
    CONFIDENTIAL.callbackPhone,
    CONFIDENTIAL.callbackPhoneE164,
    "555-0135",
    CONFIDENTIAL.callbackEmail,
    CONFIDENTIAL.location,
    "Whistleblower",
    "two doors down",
    ...Object.values(POSTED),
    "555-0147",
  ];
}

async function get(path: string): Promise<string> {
  const res = await fetchText(`${v2}${path}`);
  expect(res.status).toBe(200);
  bodies.push(res.text);
  return res.text;
}

beforeAll(async () => {
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  key = (await makeApiKey(ds, city.admin.viewer)).key;
  const [wilhelmina, bartholomew] = await Promise.all(
    PEOPLE.map(({ phoneE164: _e, ...p }) =>
      makeConstituent(ds, city.intake.viewer, { ...p, city: "Phoenix", postalCode: "85004" }),
    ),
  );
  // What a clerk types while on the phone: the caller's name, email, number and home in the text.
  const chatty = await recordContact(ds, city.intake.viewer, {
    constituentId: wilhelmina.id,
    channel: Channel.PHONE,
    categoryId: city.pothole.id,
    description:
      `Wilhelmina Quackenbush (w.quackenbush@example.org, 480-555-0173, or +1 480 555 0173) lives at ` +
      `4471 E Ocotillo Bend Rd; the pothole is at 1200 N Central Ave. Call back at (480) 555-0173.`,
    locationAddress: "1200 N Central Ave",
  });
  const plain = await recordContact(ds, city.intake.viewer, {
    constituentId: bartholomew.id,
    channel: Channel.EMAIL,
    categoryId: city.leak.id,
    description: "Water running down the gutter for two days.",
    locationAddress: "500 S 3rd Ave",
  });
  const secret = await recordContact(ds, city.intake.viewer, {
    confidential: true,
    callbackPhone: CONFIDENTIAL.callbackPhone,
    callbackEmail: CONFIDENTIAL.callbackEmail,
    channel: Channel.PHONE,
    categoryId: city.pothole.id,
    description: CONFIDENTIAL.description,
    locationAddress: CONFIDENTIAL.location,
    locationLat: 33.55,
    locationLong: -112.07,
  });
  // Responses are written to the constituent, often by name: they never reach Open311.
  for (const [c, person] of [
    [chatty, PEOPLE[0]],
    [secret, null],
  ] as const) {
    const a = c.assignments![0];
    await respondToAssignment(ds, city.reviewer.viewer, {
      assignmentId: a.id,
      version: a.version,
      kind: ResponseKind.RESPONSE,
      body: person
        ? `Dear ${person.firstName} ${person.lastName}, we will call ${person.phone} when it is fixed.`
        : `We will call ${CONFIDENTIAL.callbackPhone} when it is fixed.`,
      channel: ResponseChannel.PHONE,
      isFinal: true,
    });
  }
  references.push(chatty.referenceNumber, plain.referenceNumber, secret.referenceNumber);
  server = await startOpen311Server(ds);
  v2 = `${server.url}/open311/v2`;
});
afterAll(async () => {
  await server?.close();
  await ds.destroy();
});

describe("Open311 and personal data", () => {
  it("masks the submitter's name, email, phone and home in a description, but keeps the issue's location", async () => {
    const [r] = JSON.parse(await get(`/requests/${references[0]}.json`));
    expect(r.description).toBe(
      "[name removed] [name removed] ([email removed], [phone removed], or [phone removed]) lives at " +
        "[address removed]; the pothole is at 1200 N Central Ave. Call back at [phone removed].",
    );
    expect(r.address).toBe("1200 N Central Ave");
  });

  it("shows a confidential request without its description or location", async () => {
    const [r] = JSON.parse(await get(`/requests/${references[2]}.json`));
    expect(r).toMatchObject({
      service_request_id: references[2],
      description: null,
      address: null,
      lat: null,
      long: null,
      agency_responsible: "Street Maintenance",
    });
  });

  it("publishes, as the issue's location, a home address given as where a non-confidential issue is", async () => {
    // The decision documented in open311-privacy.ts: the location of a public report is public.
    const home = await recordContact(ds, city.intake.viewer, {
      constituentId: (await makeConstituent(ds, city.intake.viewer, { addressLine1: "15 E Monroe St" })).id,
      channel: Channel.PHONE,
      categoryId: city.pothole.id,
      description: "Pothole in front of my house at 15 E Monroe St.",
      locationAddress: "15 E Monroe St",
    });
    const [r] = JSON.parse(await get(`/requests/${home.referenceNumber}.json`));
    expect(r).toMatchObject({
      address: "15 E Monroe St",
      description: "Pothole in front of my house at 15 E Monroe St.",
    });
  });

  it("never answers with a constituent's name, email, phone or address, nor a callback, on any endpoint", async () => {
    const posted = await postForm(`${v2}/requests.json`, {
      api_key: key,
      service_code: city.pothole.open311ServiceCode!,
      address_string: "300 W Jefferson St",
      description: `Reported by ${POSTED.first_name} ${POSTED.last_name}, ${POSTED.email}, ${POSTED.phone}.`,
      ...POSTED,
    });
    expect(posted.status).toBe(200);
    bodies.push(posted.text);
    const [{ service_request_id: postedId, token }] = JSON.parse(posted.text);
    const anonymous = await postForm(`${v2}/requests.xml`, {
      api_key: key,
      service_code: city.pothole.open311ServiceCode!,
      address_string: CONFIDENTIAL.location,
      description: CONFIDENTIAL.description,
      email: CONFIDENTIAL.callbackEmail,
      phone: CONFIDENTIAL.callbackPhone,
    });
    expect(anonymous.status).toBe(200);
    bodies.push(anonymous.text);

    const all = [...references, postedId].join(",");
    for (const f of ["json", "xml"]) {
      await get(`/../discovery.${f}`);
      await get(`/services.${f}`);
      await get(`/services/${city.pothole.open311ServiceCode}.${f}`);
      await get(`/requests.${f}`);
      await get(`/requests.${f}?status=closed`);
      await get(`/requests.${f}?service_request_id=${all}`);
      for (const ref of [...references, postedId]) await get(`/requests/${ref}.${f}`);
      await get(`/tokens/${token}.${f}`);
    }
    // The checks above are only worth something if the answers hold the requests.
    const listed = JSON.parse(bodies.find((b) => b.startsWith("[{") && b.includes(references[1]))!);
    expect(listed.length).toBeGreaterThanOrEqual(4);
    expect(bodies.join("\n")).toContain(references[2]);

    const text = bodies.join("\n").toLowerCase();
    const found = secrets().filter((s) => text.includes(s.toLowerCase()));
    expect(found).toEqual([]);
  });
});
