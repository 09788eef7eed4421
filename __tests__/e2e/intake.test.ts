import type { Page } from "playwright-core";
import { signIn, textOf } from "./support/browser";
import { browserSessionPerTest } from "./support/session";
import {
  constituentIdFor,
  fillContact,
  MARIA,
  REFERENCE,
  saveAndReadReference,
  searchAndChoose,
} from "./support/intake-flow";

const session = browserSessionPerTest();
let page: Page;
beforeEach(() => {
  page = session.page;
});

describe("intake in the browser", () => {
  it("records a phone call for a constituent found by a misspelt name, and shows it in her history", async () => {
    await page.goto("/intake");
    await page.waitForURL(/\/signin\?callbackUrl=%2Fintake$/);
    await signIn(page, "intake@star.local");
    await page.waitForURL((u) => u.pathname === "/intake");

    const banner = page.getByRole("banner");
    expect(await banner.innerText()).toMatch(/Intake/);
    await banner.getByRole("button", { name: "Sign out" }).waitFor();

    await page.getByLabel("Name, phone or email").fill(MARIA.query);
    await page.keyboard.press("Enter");
    const first = page.locator(".match").first();
    await first.waitFor();
    const firstText = await first.innerText();
    expect(firstText).toContain(MARIA.name);
    expect(firstText).toContain(MARIA.phone);
    expect(firstText).toMatch(/\d{1,3}%/);
    expect(firstText).toMatch(/Why:/);

    await page
      .getByRole("button", { name: `Choose ${MARIA.name}` })
      .first()
      .click();
    await page.getByRole("heading", { name: "2. The contact" }).waitFor();
    expect(await textOf(page, ".chosen")).toContain(MARIA.name);
    // The received-at field starts on the city's clock, whatever the browser's zone.
    const receivedAt = await page.getByLabel("Received at").inputValue();
    expect(receivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);

    const description = "Water bubbling up through the sidewalk in front of the house since this morning.";
    await fillContact(page, { category: "Water Leak", description, department: "Water Services" });
    expect(await textOf(page, "#routing-preview")).toMatch(/Due.*M(S|D)T/s);
    expect(await textOf(page, "#description-count")).toBe(`${description.length} of 4,000 characters`);

    const reference = await saveAndReadReference(page);
    const result = await textOf(page, ".result");
    expect(result).toContain("Water Services");
    expect(result).toMatch(/Due\s+\w{3} \d{1,2}, \d{4}/);

    await page.getByRole("link", { name: new RegExp(`${MARIA.name}: open the record`) }).click();
    await page.waitForURL(/\/constituents\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { level: 1, name: MARIA.name }).waitFor();
    const item = page.locator(".history-item", { hasText: reference });
    await item.waitFor();
    const itemText = await item.innerText();
    expect(itemText).toContain("Water Leak");
    expect(itemText).toContain("Water Services");
    expect(itemText).toContain(description);
    // Newest first: the contact just recorded heads the history.
    expect(await page.locator(".history-item h3").first().innerText()).toContain(reference);

    // The next contact for her starts at step two with her already chosen.
    await page.getByRole("link", { name: "Record a new contact" }).click();
    await page.getByRole("heading", { name: "2. The contact" }).waitFor();
    expect(await textOf(page, ".chosen")).toContain(MARIA.name);

    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((u) => u.pathname === "/signin");
  });

  it("attaches a scanned letter received on an earlier day, and links it from the history", async () => {
    await signIn(page, "intake@star.local");
    await page.waitForURL((u) => u.pathname === "/intake");
    await searchAndChoose(page, MARIA.query, MARIA.name);
    await page.getByLabel("Channel").selectOption("LETTER");

    const receivedOn = page.getByLabel("Received on");
    const today = await receivedOn.inputValue();
    const dayBefore = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await receivedOn.fill(dayBefore);
    const pdf = Buffer.from(
      "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    );
    await page.getByLabel(/Scanned letter/).setInputFiles({
      name: "letter-from-maria.pdf",
      mimeType: "application/pdf",
      buffer: pdf,
    });
    await page.getByText("1 file ready to attach.").waitFor();

    await fillContact(page, {
      category: "Water Leak",
      description: "Letter: the meter box in front of the house has been leaking for a week.",
      department: "Water Services",
    });
    const reference = await saveAndReadReference(page);
    expect(await textOf(page, ".result")).toContain("letter-from-maria.pdf");

    await page.getByRole("link", { name: new RegExp(`${MARIA.name}: open the record`) }).click();
    const item = page.locator(".history-item", { hasText: reference });
    await item.waitFor();
    const shownDay = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(
      new Date(`${dayBefore}T12:00:00Z`),
    );
    expect(await item.innerText()).toContain(`Received\n${shownDay}`);
    expect(await item.innerText()).toContain("Letter");
    const link = item.getByRole("link", { name: "letter-from-maria.pdf" });
    const href = await link.getAttribute("href");
    expect(href).toMatch(/^\/api\/attachments\/[0-9a-f-]{36}$/);
    const download = await page.request.get(href!);
    expect(download.status()).toBe(200);
    expect(Buffer.from(await download.body()).equals(pdf)).toBe(true);
  });

  it("refuses a wrong password with a message and stays on the sign-in page", async () => {
    await page.goto("/signin");
    await signIn(page, "analyst@star.local", "not-the-password");
    // Next's route announcer is an alert too: look inside main.
    const alert = page.locator("main").getByRole("alert");
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/email and password do not match/i);
    expect(new URL(page.url()).pathname).toBe("/signin");
    expect(await page.getByLabel("Password").inputValue()).toBe("");
    // And no session was made: a staff page still sends us back to sign in.
    await page.goto("/intake");
    await page.waitForURL(/\/signin/);
  });

  it("says so when an account is locked after repeated failures, even with the right password", async () => {
    await page.goto("/signin");
    const alert = page.locator("main").getByRole("alert");
    for (let i = 0; i < 5; i++) {
      await signIn(page, "admin@star.local", `wrong-${i}`);
      await alert.getByText(/do not match/).waitFor();
      await page.getByRole("button", { name: "Sign in" }).and(page.locator(":enabled")).waitFor();
    }
    await signIn(page, "admin@star.local");
    await alert.getByText(/locked/).waitFor();
    expect(new URL(page.url()).pathname).toBe("/signin");
  });

  it("clears the chosen constituent when the request turns confidential, and stores it with none", async () => {
    await signIn(page, "intake@star.local");
    await page.waitForURL((u) => u.pathname === "/intake");
    const mariaId = await constituentIdFor(page, MARIA.query);

    await searchAndChoose(page, MARIA.query, MARIA.name);
    expect(await textOf(page, "main")).toContain(MARIA.name);

    await page.getByRole("switch", { name: "Confidential request" }).check();
    await page.getByLabel("Callback phone").waitFor();
    const main = await page.locator("main").innerText();
    expect(main).not.toContain(MARIA.name);
    expect(main).not.toContain(MARIA.phone);
    expect(await page.locator(".chosen").count()).toBe(0);

    await fillContact(page, {
      category: "Water Leak",
      description: "Caller asks that their name stay confidential: water running down the gutter on 3rd St.",
      department: "Water Services",
    });
    const reference = await saveAndReadReference(page);
    const result = await textOf(page, ".result");
    expect(result).toMatch(/None: confidential request/);
    expect(result).not.toContain(MARIA.name);
    expect(await page.locator(".result").getByRole("link").count()).toBe(0);

    await page.goto(`/constituents/${mariaId}`);
    await page.getByRole("heading", { level: 1, name: MARIA.name }).waitFor();
    await page.getByRole("heading", { name: /^History/ }).waitFor();
    expect(await page.locator(".history-item").count()).toBeGreaterThan(0);
    expect(await page.locator("main").innerText()).not.toContain(reference);
    expect(reference).toMatch(REFERENCE);
  });
});
