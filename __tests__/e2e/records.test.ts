import fs from "node:fs";
import type { Page } from "playwright-core";
import { parseCsv } from "../../src/server/records/csv";
import { unzip } from "../support/unzip";
import { expectAccessible, signIn } from "./support/browser";
import { constituentIdFor, MARIA, REFERENCE } from "./support/intake-flow";
import { browserSessionPerTest } from "./support/session";

const session = browserSessionPerTest();
let page: Page;
beforeEach(() => {
  page = session.page;
});

async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await page.request.post("/api/graphql", {
    headers: { "content-type": "application/json" },
    data: { query, variables },
  });
  const json = (await res.json()) as { data?: T; errors?: unknown };
  if (!json.data || json.errors) throw new Error(`GraphQL failed: ${JSON.stringify(json)}`);
  return json.data;
}

/** A pothole report for María whose description holds a rare word and a phone number. */
async function reportPothole(description: string): Promise<string> {
  const { categories } = await graphql<{ categories: { id: string; name: string }[] }>(
    "{ categories { id name } }",
  );
  const pothole = categories.find((c) => c.name === "Pothole")!;
  const constituentId = await constituentIdFor(page, MARIA.query);
  const { recordContact } = await graphql<{ recordContact: { referenceNumber: string } }>(
    `
      mutation ($input: RecordContactInput!) {
        recordContact(input: $input) {
          referenceNumber
        }
      }
    `,
    { input: { constituentId, channel: "PHONE", categoryId: pothole.id, description } },
  );
  return recordContact.referenceNumber;
}

describe("public records requests in the browser", () => {
  it("records a request, previews, produces and downloads the redacted package, then finds it in the audit log", async () => {
    await page.goto("/records");
    await page.waitForURL(/\/signin\?callbackUrl=%2Frecords$/);
    await signIn(page, "cmo@star.local");
    await page.waitForURL((u) => u.pathname === "/records");
    await page.getByRole("heading", { level: 1, name: "Public records requests" }).waitFor();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).waitFor();
    await expectAccessible(page, "the records requests page");

    const word = `zebrafinch${Date.now()}`;
    const reference = await reportPothole(`A pothole by the ${word} mural; call me at (602) 555-0143.`);
    expect(reference).toMatch(REFERENCE);

    await page.getByLabel("Requester's name").fill("Riley Reporter");
    await page.getByLabel("Requester's email").fill("riley@news.example");
    await page.getByLabel("What is asked").fill(`Every report that mentions the ${word} mural.`);
    await page.getByLabel("Words in the text").fill(word);
    await page.getByLabel("Include the attachments' files").uncheck();
    await page.getByRole("button", { name: "Record the request" }).click();
    await page.waitForURL(/\/records\/[0-9a-f-]{36}$/);
    const heading = page.getByRole("heading", { level: 1, name: /Records request PRR-\d{2}-\d{6}/ });
    await heading.waitFor();
    const prr = /PRR-\d{2}-\d{6}/.exec(await heading.innerText())![0];
    expect(await page.locator(".records-status").innerText()).toBe("Received");

    await page.getByRole("button", { name: "Preview the package" }).click();
    const preview = page.locator(".records-preview");
    await preview.waitFor();
    expect(await preview.innerText()).toMatch(/Contacts\s*1\b/);
    expect(await preview.getByRole("row", { name: /Phone number in text/ }).innerText()).toMatch(/1$/);
    await expectAccessible(page, "a records request with its preview");

    await page.getByRole("button", { name: "Produce the package" }).click();
    await page.getByRole("status").getByText("The package is ready to download.").waitFor();
    expect(await page.locator(".records-status").innerText()).toBe("Package produced");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: `Download ${prr}.zip` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${prr}.zip`);
    const files = unzip(fs.readFileSync((await download.path())!));
    const [header, ...rows] = parseCsv(files.get("contacts.csv")!.toString("utf8"));
    const contacts = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    expect(contacts.map((c) => c.referenceNumber)).toEqual([reference]);
    expect(contacts[0].description).toBe(`A pothole by the ${word} mural; call me at [phone redacted].`);
    expect(contacts[0]["constituent.phone"]).toBe("[REDACTED]");
    for (const bytes of files.values()) expect(bytes.toString("utf8")).not.toContain("555-0142");
    await expectAccessible(page, "a records request with its package");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
    await page.waitForURL((u) => u.pathname === "/audit");
    await page.locator(".audit-table").waitFor();
    await expectAccessible(page, "the audit log");
    await page.getByLabel("Action").fill("records_request.");
    await page.getByLabel("Who (sign-in email)").fill("cmo@star.local");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((u) => u.searchParams.get("action") === "records_request.");
    const actions = page.locator(".audit-table tbody tr td:nth-child(3)");
    await page.locator(".audit-table tbody tr", { hasText: "records_request.package_downloaded" }).waitFor();
    expect((await actions.allInnerTexts()).slice(0, 3)).toEqual([
      "records_request.package_downloaded",
      "records_request.produced",
      "records_request.recorded",
    ]);
    await expectAccessible(page, "the filtered audit log");
  });

  it("keeps the records and audit pages from roles that do not handle them", async () => {
    await page.goto("/signin");
    await signIn(page, "intake@star.local");
    await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Home" }).waitFor();
    expect(await nav.getByRole("link", { name: "Records" }).count()).toBe(0);
    await page.goto("/audit");
    await page.getByText("The Intake role does not read the audit log.").waitFor();
    await expectAccessible(page, "the audit log refused");
  });
});
