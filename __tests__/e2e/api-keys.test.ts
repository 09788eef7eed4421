import type { Page } from "playwright-core";
import { expectAccessible, signIn, textOf } from "./support/browser";
import { browserSessionPerTest } from "./support/session";

const session = browserSessionPerTest();
let page: Page;
beforeEach(() => {
  page = session.page;
});

const APP = "Neighborhood 311 app";

/** A pothole report as an Open311 client sends it, at the public path. */
function submit(apiKey: string) {
  return page.request.post("/open311/v2/requests.json", {
    form: {
      api_key: apiKey,
      service_code: "001",
      "attribute[size]": "medium",
      address_string: "200 W Washington St",
      description: "Pothole reported from the neighborhood app.",
      first_name: "Robin",
      last_name: "Appuser",
    },
  });
}

describe("Open311 API keys in the portal", () => {
  it("lets the administrator issue a key, shown once, that an Open311 client can use, and revoke it", async () => {
    await page.goto("/admin/api-keys");
    await page.waitForURL(/\/signin\?callbackUrl=%2Fadmin%2Fapi-keys$/);
    await signIn(page, "admin@star.local");
    await page.waitForURL((u) => u.pathname === "/admin/api-keys");
    await page.getByRole("heading", { level: 1, name: "Open311 API keys" }).waitFor();
    await page.getByRole("row", { name: /Demo 311 app/ }).waitFor();
    expect(await page.getByRole("link", { name: "API keys" }).getAttribute("aria-current")).toBe("page");
    await expectAccessible(page, "the API keys page");

    await page.getByRole("button", { name: "Issue key" }).click();
    await page.locator("#api-key-name-error").waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("api-key-name");
    await expectAccessible(page, "the API keys page with a missing name");

    await page.getByLabel("Who is the key for?").fill(APP);
    await page.getByRole("button", { name: "Issue key" }).click();
    const key = await textOf(page, "#issued-key-value");
    expect(key).toMatch(/^o311_[\w-]{32}$/);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("issued-key");
    const row = page.getByRole("row", { name: new RegExp(APP) });
    expect(await row.innerText()).toContain(key.slice(0, 12));
    await expectAccessible(page, "the API keys page showing a new key");

    // The key works at the public Open311 path, and the request reads back in XML.
    const posted = await submit(key);
    expect(posted.status()).toBe(200);
    const [{ service_request_id: id }] = (await posted.json()) as { service_request_id: string }[];
    expect(id).toMatch(/^STAR-\d{2}-\d{6}$/);
    const read = await page.request.get(`/open311/v2/requests/${id}.xml`);
    expect(read.status()).toBe(200);
    expect(read.headers()["content-type"]).toBe("text/xml; charset=utf-8");
    expect(await read.text()).toContain(`<service_request_id>${id}</service_request_id>`);
    expect((await submit("star-demo-open311-key")).status()).toBe(200);
    const discovery = await page.request.get("/open311/discovery.json");
    expect(((await discovery.json()) as { endpoints: { url: string }[] }).endpoints[0].url).toMatch(
      /\/open311\/v2$/,
    );

    // Shown once: gone after a reload, while the key stays listed by its prefix.
    await page.reload();
    await row.waitFor();
    expect(await page.locator("#issued-key").count()).toBe(0);
    expect(await page.locator("main").innerText()).not.toContain(key);
    await page.getByRole("heading", { level: 1, name: "Open311 API keys" }).waitFor();
    await row
      .getByText(/never|MST/)
      .first()
      .waitFor();

    await row.getByRole("button", { name: `Revoke the key for ${APP}` }).click();
    await expectAccessible(page, "the API keys page asking to confirm a revocation");
    await row.getByRole("button", { name: `Yes, revoke the key for ${APP}` }).click();
    await page
      .getByRole("status")
      .getByText(/is revoked/)
      .waitFor();
    await row.getByText(/^Revoked/).waitFor();
    expect(await row.getByRole("button").count()).toBe(0);
    await expectAccessible(page, "the API keys page after a revocation");

    const refused = await submit(key);
    expect(refused.status()).toBe(403);
    expect(await refused.json()).toEqual([
      { code: 403, description: "A valid api_key is required to submit a request" },
    ]);
  });

  it("is not offered to other roles, and tells them so", async () => {
    await page.goto("/signin");
    await signIn(page, "cmo@star.local");
    await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
    expect(await page.getByRole("link", { name: "API keys" }).count()).toBe(0);
    await page.goto("/admin/api-keys");
    await page.getByText("Only administrators manage Open311 API keys").waitFor();
    expect(await page.getByRole("table").count()).toBe(0);
    await expectAccessible(page, "the API keys page for another role");
  });
});
