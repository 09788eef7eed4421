import fs from "node:fs";
import type { Page } from "playwright-core";
import { expectAccessible, signIn } from "./support/browser";
import { browserSessionPerTest } from "./support/session";

const session = browserSessionPerTest({ failOnApiErrors: true });
let page: Page;
beforeEach(() => {
  page = session.page;
});

const SAVED = `query ContactsByChannel {
  contactStats(groupBy: [CHANNEL]) {
    channel
    count
    openCount
  }
}`;

describe("the analyst workspace in the browser", () => {
  it("signs an analyst in, runs a saved query in GraphiQL and downloads the result as CSV", async () => {
    await page.goto("/analyst");
    await page.waitForURL(/\/signin\?callbackUrl=%2Fanalyst$/);
    await signIn(page, "analyst@star.local");
    await page.waitForURL((u) => u.pathname === "/analyst");
    await page.getByRole("heading", { level: 1, name: "Analyst workspace" }).waitFor();
    await page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Analyst workspace" })
      .waitFor();

    // A query saved earlier (through the same API the page uses).
    const res = await page.request.post("/api/graphql", {
      headers: { "content-type": "application/json" },
      data: {
        query: `mutation($input: SaveQueryInput!) { saveQuery(input: $input) { id } }`,
        variables: { input: { name: "Contacts by channel", query: SAVED } },
      },
    });
    expect((await res.json()).errors).toBeUndefined();
    await page.reload();
    await page.locator(".graphiql-container").waitFor();
    await expectAccessible(page, "the analyst workspace");

    await page.getByRole("button", { name: "Contacts by channel", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Opened" }).waitFor();
    await page.locator(".graphiql-query-editor").getByText("ContactsByChannel").waitFor();
    await page.locator(".graphiql-execute-button").click();
    await page.locator(".graphiql-response").getByText('"contactStats"').waitFor();

    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^contacts-by-channel-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync((await file.path())!, "utf8");
    const [header, ...rows] = csv.trim().split("\r\n");
    expect(header).toBe("channel,count,openCount");
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/^[A-Z0-9_]+,\d+,\d+$/);
  });

  it("creates a personal API token, shows it once, and revokes it", async () => {
    await page.goto("/signin?callbackUrl=%2Fanalyst%2Ftokens");
    await signIn(page, "analyst@star.local");
    await page.waitForURL((u) => u.pathname === "/analyst/tokens");
    await page.getByRole("heading", { level: 1, name: "Personal API tokens" }).waitFor();
    await expectAccessible(page, "the API tokens page");

    await page.getByLabel("What it is for").fill("weekly overdue notebook");
    await page.getByRole("button", { name: "Create token" }).click();
    const token = await page.getByLabel("Your token").inputValue();
    expect(token).toMatch(/^star_pat_/);
    await expectAccessible(page, "the API tokens page with a new token");

    const asToken = await page.request.post("/api/graphql", {
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      data: { query: "{ me { email } }" },
    });
    expect((await asToken.json()).data.me.email).toBe("analyst@star.local");

    await page.getByRole("button", { name: "Revoke token weekly overdue notebook" }).click();
    await page.getByRole("status").filter({ hasText: "Revoked" }).waitFor();
    await page.reload();
    expect(await page.getByText(token).count()).toBe(0);
    const refused = await page.request.post("/api/graphql", {
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      data: { query: "{ me { email } }" },
    });
    expect((await refused.json()).data?.me ?? null).toBeNull();
  });
});
