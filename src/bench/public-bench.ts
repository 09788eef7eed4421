import type { DataSource } from "typeorm";

/** The public form's mutation, as the browser sends it. */
export const PUBLIC_SUBMIT_MUTATION = `mutation Submit($input: SubmitServiceRequestInput!) {
  submitServiceRequest(input: $input) { referenceNumber trackingCode trackingPath status departmentName dueAt }
}`;

export interface PublicSubmitItem {
  categoryId: string;
  locationAddress: string;
  /** Some submitters give the email of someone on file (matched), some a new one, some none. */
  email: string | null;
}

export interface PublicSubmitPrep {
  pool: PublicSubmitItem[];
  cookie: string;
  headers: Record<string, string>;
}

const STREETS = ["W Washington St", "E Van Buren St", "N Central Ave", "S 7th Ave", "W Roosevelt St"];

export function publicSubmitBody(item: PublicSubmitItem, n: number): string {
  return JSON.stringify({
    query: PUBLIC_SUBMIT_MUTATION,
    variables: {
      input: {
        categoryId: item.categoryId,
        description: `Benchmark: a problem reported on the public form (#${n}).`,
        locationAddress: item.locationAddress,
        language: n % 2 ? "ES" : "EN",
        firstName: "Bench",
        lastName: `Resident ${n % 997}`,
        email: item.email,
        publicRecordNoticeAcknowledged: true,
        confidential: false,
      },
    },
  });
}

/** The form's CSRF token and its cookie, as the page gets them. */
async function formToken(url: string): Promise<{ cookie: string; token: string }> {
  const res = await fetch(`${url}/api/public/csrf`);
  const setCookie = res.headers.get("set-cookie") ?? "";
  const { token } = (await res.json()) as { token: string };
  const cookie = setCookie.split(";")[0];
  if (!res.ok || !token || !cookie.startsWith("star_csrf=")) throw new Error("publicSubmit: no CSRF token");
  return { cookie, token };
}

/**
 * The pool (every active category, addresses spread over town, a third with an email on file, a third
 * with a new one) and a checked submission: the receipt's reference is in the database as a WEB contact
 * with no staff author, and its tracking code opens the status page while a wrong one does not (and no
 * code opens only the public part).
 */
export async function preparePublicSubmit(ds: DataSource, url: string): Promise<PublicSubmitPrep> {
  const cats: { id: string }[] = await ds.query(`SELECT id FROM category WHERE active ORDER BY code`);
  const emails: { email: string }[] = await ds.query(
    `SELECT email FROM constituent WHERE email IS NOT NULL AND merged_into_id IS NULL
      ORDER BY md5(id::text || 'public') LIMIT 1000`,
  );
  const pool: PublicSubmitItem[] = Array.from({ length: 3000 }, (_, i) => ({
    categoryId: cats[i % cats.length].id,
    locationAddress: `${100 + ((i * 37) % 4900)} ${STREETS[i % STREETS.length]}`,
    email:
      i % 3 === 0
        ? (emails[i % emails.length]?.email ?? null)
        : i % 3 === 1
          ? `bench.${i}@example.org`
          : null,
  }));
  const { cookie, token } = await formToken(url);
  const headers = { "x-star-csrf": token };

  const post = async (body: string) => {
    const res = await fetch(`${url}/api/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, ...headers },
      body,
    });
    return (await res.json()) as { data?: Record<string, any>; errors?: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const answer = await post(publicSubmitBody(pool[0], 0));
  const receipt = answer.data?.submitServiceRequest;
  if (!receipt) throw new Error(`publicSubmit: ${JSON.stringify(answer.errors).slice(0, 500)}`);
  const rows: { channel: string; entered_by_id: string | null }[] = await ds.query(
    `SELECT channel, entered_by_id FROM contact WHERE reference_number = $1`,
    [receipt.referenceNumber],
  );
  if (rows.length !== 1 || rows[0].channel !== "WEB" || rows[0].entered_by_id !== null) {
    throw new Error(`publicSubmit: ${receipt.referenceNumber} is not stored as a public WEB contact`);
  }
  const status = (code: string | null) =>
    post(
      JSON.stringify({
        query: `query ($r: String!, $c: String) { requestStatus(referenceNumber: $r, trackingCode: $c) {
          status trackingCodeMatched } }`,
        variables: { r: receipt.referenceNumber, c: code },
      }),
    );
  const right = await status(receipt.trackingCode);
  const wrong = await status("0000-0000-0000-0000");
  const none = await status(null);
  if (
    right.data?.requestStatus?.status !== "OPEN" ||
    right.data.requestStatus.trackingCodeMatched !== true ||
    wrong.data?.requestStatus !== null ||
    none.data?.requestStatus?.trackingCodeMatched !== false
  ) {
    throw new Error("publicSubmit: the status page does not answer the tracking code as it should");
  }
  return { pool, cookie, headers };
}

/** Contacts from the public form so far: every answered submission must have written one. */
export async function publicContacts(ds: DataSource): Promise<number> {
  const [{ n }] = await ds.query(
    `SELECT count(*)::int AS n FROM contact WHERE channel = 'WEB' AND entered_by_id IS NULL`,
  );
  return n as number;
}
