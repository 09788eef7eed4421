import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { DataSource } from "typeorm";
import { Channel, Contact, Language } from "../../entities";
import { resetConfig } from "../../src/server/config/config";
import { CSRF_COOKIE, newCsrfToken } from "../../src/server/self-service/csrf";
import { forgetPublicCategories } from "../../src/server/self-service/help.service";
import {
  MAX_FORM_BYTES,
  readFormBody,
  requestPageProps,
  statusPageProps,
} from "../../src/server/self-service/public-form";
import { clientAddress } from "../factories/public-request.factory";
import { makeCity } from "../factories/reference.factory";
import { openTestDataSource, resetDatabase, rowCount } from "../support/db";

let ds: DataSource;
let city: Awaited<ReturnType<typeof makeCity>>;

beforeAll(async () => {
  process.env.STAR_PUBLIC_SUBMIT_LIMIT = "2";
  resetConfig();
  ds = await openTestDataSource();
  await resetDatabase(ds);
  city = await makeCity(ds);
  forgetPublicCategories();
});
afterAll(async () => {
  await ds.destroy();
  delete process.env.STAR_PUBLIC_SUBMIT_LIMIT;
  resetConfig();
});

interface FakeRequest {
  method?: string;
  body?: string | Buffer;
  contentType?: string;
  cookie?: string | null;
  address?: string;
}

function request({ method = "POST", body = "", contentType, cookie, address }: FakeRequest): IncomingMessage {
  const req = Readable.from([Buffer.from(body)]) as unknown as IncomingMessage;
  Object.assign(req, {
    method,
    headers: {
      "content-type": contentType ?? "application/x-www-form-urlencoded",
      ...(cookie ? { cookie: `other=1; ${CSRF_COOKIE}=${cookie}` } : {}),
    },
    socket: { remoteAddress: address ?? clientAddress() },
  });
  return req;
}

function response(): ServerResponse & { headers: Record<string, unknown> } {
  const headers: Record<string, unknown> = {};
  return {
    statusCode: 200,
    headers,
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = value;
      return this;
    },
  } as unknown as ServerResponse & { headers: Record<string, unknown> };
}

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

const filled = (token: string, overrides: Record<string, string> = {}) => ({
  csrf: token,
  categoryId: city.pothole.id,
  description: "Un bache enorme frente a la biblioteca.",
  locationAddress: "200 W Washington St",
  firstName: "Ramón",
  lastName: "Ortiz",
  email: "",
  phone: "",
  publicRecordNoticeAcknowledged: "1",
  website: "",
  ...overrides,
});

describe("the public forms sent without script", () => {
  it("reads a urlencoded body as UTF-8, and refuses another type or one past the cap", async () => {
    const body = await readFormBody(request({ body: "description=Ca%C3%B1%C3%B3n+roto&x=1" }));
    expect(body.get("description")).toBe("Cañón roto");

    await expect(
      readFormBody(request({ body: "{}", contentType: "application/json" })),
    ).rejects.toMatchObject({
      details: { reason: "UNSUPPORTED_TYPE" },
    });
    await expect(
      readFormBody(request({ body: `description=${"a".repeat(MAX_FORM_BYTES)}` })),
    ).rejects.toMatchObject({ details: { reason: "TOO_LARGE" } });
  });

  it("gives the page its categories and a token, keeping a still-valid cookie's token", async () => {
    const res = response();
    const first = await requestPageProps(ds, request({ method: "GET" }), res, Language.EN);
    expect(first.categories.map((c) => c.id)).toContain(city.pothole.id);
    expect(first.posted).toBeNull();
    expect(String(res.headers["set-cookie"])).toContain(`${CSRF_COOKIE}=${first.csrfToken}`);

    const again = await requestPageProps(
      ds,
      request({ method: "GET", cookie: first.csrfToken }),
      response(),
      Language.EN,
    );
    expect(again.csrfToken).toBe(first.csrfToken);
    const planted = await requestPageProps(
      ds,
      request({ method: "GET", cookie: "planted.cookie" }),
      response(),
      Language.EN,
    );
    expect(planted.csrfToken).not.toBe("planted.cookie");
  });

  it("takes a request through the public intake and answers with the receipt", async () => {
    const token = newCsrfToken();
    const res = response();
    const props = await requestPageProps(
      ds,
      request({ body: form(filled(token)), cookie: token }),
      res,
      Language.ES,
    );
    expect(res.statusCode).toBe(200);
    expect(props.posted?.refusal).toBeNull();
    const receipt = props.posted!.receipt!;
    expect(receipt.referenceNumber).toMatch(/^STAR-\d{2}-\d{6}$/);
    expect(receipt.departmentName).toBe("Street Maintenance");
    expect(receipt.trackingPath).toBe(
      `/es/request/status?ref=${receipt.referenceNumber}&code=${receipt.trackingCode}`,
    );
    const contact = await ds
      .getRepository(Contact)
      .findOneByOrFail({ referenceNumber: receipt.referenceNumber });
    expect(contact).toMatchObject({ channel: Channel.WEB, language: Language.ES, confidential: false });

    const status = await statusPageProps(ds, request({ method: "GET" }), response(), {
      ref: receipt.referenceNumber,
      code: receipt.trackingCode.toLowerCase(),
    });
    expect(status.lookup?.status).toMatchObject({ referenceNumber: receipt.referenceNumber, status: "OPEN" });
    const wrong = await statusPageProps(ds, request({ method: "GET" }), response(), {
      ref: receipt.referenceNumber,
      code: "AAAA-BBBB-CCCC-DDDD",
    });
    expect(wrong.lookup).toMatchObject({ status: null, refusal: null });
    expect((await statusPageProps(ds, request({ method: "GET" }), response(), {})).lookup).toBeNull();
  });

  it("refuses a post without the form's token, or with one that is not the cookie's, and stores nothing", async () => {
    const before = await rowCount(ds, "contact");
    const token = newCsrfToken();
    for (const req of [
      request({ body: form(filled("")), cookie: token }),
      request({ body: form(filled(token)) }),
      request({ body: form(filled(newCsrfToken())), cookie: token }),
    ]) {
      const res = response();
      const props = await requestPageProps(ds, req, res, Language.EN);
      expect(res.statusCode).toBe(403);
      expect(props.posted?.refusal?.reason).toBe("CSRF");
      expect(props.posted?.receipt).toBeNull();
      // What was typed comes back, and a fresh token with it.
      expect(props.posted?.values.firstName).toBe("Ramón");
      expect(props.csrfToken).toBeTruthy();
    }
    expect(await rowCount(ds, "contact")).toBe(before);
  });

  it("refuses bad input by its field, and a filled honeypot, storing nothing", async () => {
    const before = await rowCount(ds, "contact");
    const token = newCsrfToken();
    const res = response();
    const props = await requestPageProps(
      ds,
      request({ body: form(filled(token, { description: "  " })), cookie: token }),
      res,
      Language.EN,
    );
    expect(res.statusCode).toBe(400);
    expect(props.posted?.refusal?.field).toBe("description");
    expect(props.posted?.values).toMatchObject({ address: "200 W Washington St", acknowledged: true });

    const robot = await requestPageProps(
      ds,
      request({ body: form(filled(token, { website: "http://spam.example" })), cookie: token }),
      response(),
      Language.EN,
    );
    expect(robot.posted?.refusal?.field).toBe("website");
    expect(await rowCount(ds, "contact")).toBe(before);
  });

  it("keeps no name on a confidential request even when one was typed", async () => {
    const token = newCsrfToken();
    const props = await requestPageProps(
      ds,
      request({ body: form(filled(token, { confidential: "1" })), cookie: token }),
      response(),
      Language.EN,
    );
    const contact = await ds
      .getRepository(Contact)
      .findOneByOrFail({ referenceNumber: props.posted!.receipt!.referenceNumber });
    expect(contact).toMatchObject({ confidential: true, constituentId: null });
  });

  it("holds the form to the web form's rate limit per client address", async () => {
    const address = clientAddress();
    const token = newCsrfToken();
    const send = async () => {
      const res = response();
      const props = await requestPageProps(
        ds,
        request({ body: form(filled(token)), cookie: token, address }),
        res,
        Language.EN,
      );
      return { status: res.statusCode, props };
    };
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const third = await send();
    expect(third.status).toBe(429);
    expect(third.props.posted?.refusal?.reason).toBe("RATE_LIMITED");
  });
});
