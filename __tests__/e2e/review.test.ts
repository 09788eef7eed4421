import type { Page } from "playwright-core";
import { expectAccessible, newContext, signIn, textOf } from "./support/browser";
import { browserSessionPerTest } from "./support/session";
import { constituentIdFor, MARIA } from "./support/intake-flow";

const session = browserSessionPerTest({ failOnApiErrors: true });
let page: Page;
beforeEach(() => {
  page = session.page;
});

async function graphql<T>(p: Page, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await p.request.post("/api/graphql", {
    headers: { "content-type": "application/json" },
    data: { query, variables },
  });
  const json = (await res.json()) as { data?: T; errors?: unknown };
  if (!json.data || json.errors) throw new Error(`GraphQL failed: ${JSON.stringify(json)}`);
  return json.data;
}

/** A fresh pothole report (routed to Street Maintenance), recorded by the signed-in reviewer. */
async function reportPothole(description: string): Promise<string> {
  const { categories } = await graphql<{ categories: { id: string; name: string }[] }>(
    page,
    "{ categories { id name } }",
  );
  const pothole = categories.find((c) => c.name === "Pothole");
  if (!pothole) throw new Error("no Pothole category in the demo data");
  const constituentId = await constituentIdFor(page, MARIA.query);
  const { recordContact } = await graphql<{ recordContact: { referenceNumber: string } }>(
    page,
    `
      mutation ($input: RecordContactInput!) {
        recordContact(input: $input) {
          referenceNumber
        }
      }
    `,
    {
      input: {
        constituentId,
        channel: "PHONE",
        categoryId: pothole.id,
        description,
        locationAddress: "1 N 1st St",
      },
    },
  );
  return recordContact.referenceNumber;
}

const row = (p: Page, reference: string) =>
  p.locator("tr", { has: p.getByRole("link", { name: reference }) });

describe("the weekly review in the browser", () => {
  it("starts the cycle, marks assignments, sees a department resolve a follow-up, and closes the cycle", async () => {
    await page.goto("/review");
    await page.waitForURL(/\/signin/);
    await signIn(page, "cmo@star.local");
    await page.waitForURL((u) => u.pathname === "/review");
    await page.getByRole("heading", { level: 1, name: "Weekly review" }).waitFor();
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Weekly review" })
      .waitFor();
    const followUp = await reportPothole("Pothole in the bike lane, reported for the weekly review test.");
    const fine = await reportPothole("Second pothole, already being handled.");

    await page.goto("/review?age=DAYS_0_2");
    await page.getByRole("button", { name: "Start this week's review" }).click();
    await page
      .getByRole("status")
      .getByText(/This week's review \(week of \d{4}-\d{2}-\d{2}\) is started/)
      .waitFor();
    await page.getByText(/0 of [\d,]+ open assignments reviewed/).waitFor();
    await row(page, followUp).waitFor();
    expect(await textOf(page, "#aging-heading")).toMatch(/Open assignments/);
    await expectAccessible(page, "the review worklist with an open cycle");

    // A follow-up needs a note: the form says so next to the field.
    const target = row(page, followUp);
    await target.locator("summary").click();
    await target.getByLabel("Follow-up").check();
    await target.getByRole("button", { name: `Save mark for ${followUp}` }).click();
    await target
      .getByRole("alert")
      .getByText(/required/)
      .waitFor();
    await target.getByLabel("Note").fill("No activity yet: call the resident and schedule the crew.");
    await target.getByRole("button", { name: `Save mark for ${followUp}` }).click();
    await page.getByRole("status").getByText(`${followUp} marked for the department.`).waitFor();
    await row(page, followUp).getByText("Waiting for the department to resolve it.").waitFor();

    const other = row(page, fine);
    await other.locator("summary").click();
    await other.getByLabel("OK", { exact: true }).check();
    await other.getByRole("button", { name: `Save mark for ${fine}` }).click();
    await page.getByRole("status").getByText(`${fine} marked OK.`).waitFor();
    await page.getByText(/2 of [\d,]+ open assignments reviewed/).waitFor();

    // The department sees the flag in its queue and resolves the follow-up with a note.
    const dept = await newContext(page.context().browser()!, session.app.url);
    try {
      const deptPage = await dept.newPage();
      await deptPage.goto("/queue");
      await signIn(deptPage, "streets@star.local");
      await deptPage.waitForURL((u) => u.pathname === "/queue");
      await deptPage.getByLabel("With a review concern").check();
      await deptPage.getByRole("button", { name: "Apply" }).click();
      await deptPage.waitForURL(/reviewFlagged=1/);
      const flagged = row(deptPage, followUp);
      await flagged.getByText("Review concern").waitFor();
      expect(await deptPage.getByRole("link", { name: fine }).count()).toBe(0);
      await flagged.getByRole("link", { name: followUp }).click();
      await deptPage.getByRole("heading", { name: /Weekly review/ }).waitFor();
      await deptPage.getByText("No activity yet: call the resident and schedule the crew.").waitFor();
      await expectAccessible(deptPage, "an assignment with a review follow-up");
      await deptPage
        .getByLabel("What was done (resolution note)")
        .fill("Called the resident; the crew fills it on Tuesday.");
      await deptPage.getByRole("button", { name: "Resolve" }).click();
      await deptPage.getByRole("status").getByText("The follow-up is resolved.").waitFor();
      await deptPage.getByText(/Resolved by .*Called the resident; the crew fills it on Tuesday\./).waitFor();
    } finally {
      await dept.close();
    }

    // The reviewer sees the resolution, then closes the week.
    await page.reload();
    await row(page, followUp)
      .getByText(/Called the resident; the crew fills it on Tuesday\./)
      .waitFor();
    const csv = await page.request.get("/api/review/worklist.csv?age=DAYS_0_2");
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain(`${followUp},Pothole`);
    const pdf = await page.request.get("/api/review/packet.pdf");
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

    await page.getByRole("button", { name: "Close this week's review" }).click();
    await page
      .getByRole("status")
      .getByText(/is closed: 2 of [\d,]+ reviewed/)
      .waitFor();
    await page.getByRole("button", { name: "Start this week's review" }).waitFor();
    const past = page.getByRole("region", { name: "Past reviews" });
    await past.getByRole("link", { name: /Week of \d{4}-\d{2}-\d{2}/ }).click();
    await page.getByRole("heading", { level: 1, name: /Review of the week of/ }).waitFor();
    await row(page, followUp).getByText("Follow-up").waitFor();
    await row(page, fine).getByText("OK").waitFor();
    await expectAccessible(page, "a closed review cycle");

    await page.goto("/review/packet");
    await page.getByRole("heading", { level: 1, name: /weekly review packet, week of/ }).waitFor();
    await page.getByRole("region", { name: "Resolved this week" }).getByText(followUp).waitFor();
    await expectAccessible(page, "the printable review packet");
  });

  it("shows departments no review page and no review link", async () => {
    await page.goto("/review");
    await signIn(page, "streets@star.local");
    await page.waitForURL((u) => u.pathname === "/review");
    await page.getByText("role does not take part in the weekly review").waitFor();
    expect(
      await page
        .getByRole("navigation", { name: "Main" })
        .getByRole("link", { name: "Weekly review" })
        .count(),
    ).toBe(0);
    await expectAccessible(page, "the review page for a department");
  });

  it("shows administrators the worklist's reference numbers without links to pages they cannot open", async () => {
    await page.goto("/review");
    await signIn(page, "admin@star.local");
    await page.waitForURL((u) => u.pathname === "/review");
    const first = page.locator("table tbody th[scope=row] .reference-link").first();
    await first.waitFor();
    expect(await first.evaluate((el) => el.tagName)).toBe("SPAN");
    expect(await page.locator('a[href^="/assignments/"]').count()).toBe(0);
  });
});
