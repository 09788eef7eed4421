import type { Browser, BrowserContext, Page } from "playwright-core";
import { startAppServer, type AppServer } from "./support/app-server";
import { expectAccessible, launchBrowser, newContext, signIn } from "./support/browser";
import {
  constituentIdFor,
  fillContact,
  MARIA,
  saveAndReadReference,
  searchAndChoose,
} from "./support/intake-flow";

let app: AppServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [app, browser] = await Promise.all([startAppServer(), launchBrowser()]);
  context = await newContext(browser, app.url);
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.stop();
});

// One signed-in session walks through every screen and state in order; axe checks each.
describe("accessibility (axe) of every screen", () => {
  it("finds no violations on the sign-in page, empty and with an error", async () => {
    await page.goto("/signin");
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    await expectAccessible(page, "the sign-in page");

    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator(".field-error").first().waitFor();
    await expectAccessible(page, "the sign-in page with missing fields");

    await signIn(page, "cmo@star.local", "wrong-password");
    await page.locator("main").getByRole("alert").waitFor();
    await expectAccessible(page, "the sign-in page after a wrong password");
  });

  it("finds no violations on the home page", async () => {
    await signIn(page, "intake@star.local");
    await page.waitForURL((u) => u.pathname === "/intake");
    await page.goto("/");
    await page.getByRole("heading", { level: 1, name: /Welcome/ }).waitFor();
    await expectAccessible(page, "the home page");
  });

  it("finds no violations in step one: search, results, new constituent and its duplicates", async () => {
    await page.goto("/intake");
    await page.getByRole("heading", { name: "1. Find the constituent" }).waitFor();
    await expectAccessible(page, "intake step one");

    await page.getByLabel("Name, phone or email").fill(MARIA.query);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.locator(".match").first().waitFor();
    await expectAccessible(page, "intake search results");

    await page.getByRole("button", { name: "New constituent" }).click();
    await page.getByRole("heading", { name: "New constituent" }).waitFor();
    await expectAccessible(page, "the new constituent form");

    await page.getByLabel("First name").fill("Maria");
    await page.getByLabel("Last name").fill("Hernandez");
    await page.getByLabel("Phone", { exact: true }).fill(MARIA.phone);
    await page.getByLabel("ZIP code").fill("8500");
    await page.getByRole("button", { name: "Create constituent" }).click();
    await page.locator("#postalCode-error").waitFor();
    // Focus goes to the first field in error, and the message is tied to it.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("postalCode");
    expect(await page.getByLabel("ZIP code").getAttribute("aria-describedby")).toContain("postalCode-error");
    await expectAccessible(page, "the new constituent form with an error");

    await page.getByLabel("ZIP code").fill("85007");
    await page.getByRole("button", { name: "Create constituent" }).click();
    await page.getByRole("heading", { name: /Possible duplicates/ }).waitFor();
    expect(await page.locator(".duplicates").innerText()).toContain(MARIA.name);
    await expectAccessible(page, "the likely duplicates");
  });

  it("finds no violations in step two: errors, a letter with its upload, a confidential request", async () => {
    await page.goto("/intake");
    await searchAndChoose(page, MARIA.query, MARIA.name);
    await expectAccessible(page, "intake step two");

    await page.getByRole("button", { name: "Save contact" }).click();
    await page.locator("#categoryId-error").waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("categoryId");
    await expectAccessible(page, "intake step two with errors");

    await fillContact(page, {
      channel: "LETTER",
      category: "Water Leak",
      description: "Letter about a leaking meter box.",
      department: "Water Services",
    });
    await page.getByLabel("Received on").waitFor();
    await page.getByLabel(/Scanned letter/).waitFor();
    await expectAccessible(page, "intake step two for a letter");

    await page.getByRole("switch", { name: "Confidential request" }).check();
    await page.getByLabel("Callback phone").waitFor();
    await expectAccessible(page, "intake step two, confidential");
  });

  it("finds no violations in step three and on the constituent screen", async () => {
    await page.goto("/intake");
    await searchAndChoose(page, MARIA.query, MARIA.name);
    await fillContact(page, { category: "Water Leak", description: "Hydrant leaking at the corner." });
    const reference = await saveAndReadReference(page);
    await expectAccessible(page, "intake step three");

    await page.goto(`/constituents/${await constituentIdFor(page, MARIA.query)}`);
    await page.locator(".history-item", { hasText: reference }).waitFor();
    await expectAccessible(page, "the constituent screen");
  });
});
