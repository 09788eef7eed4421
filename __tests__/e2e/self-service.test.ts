import type { FileChooser, Page } from "playwright-core";
import { expectAccessible, signIn, textOf } from "./support/browser";
import { browserSessionPerTest } from "./support/session";

const session = browserSessionPerTest({ failOnApiErrors: true });
let page: Page;
beforeEach(() => {
  page = session.page;
});

// A 1x1 PNG: the server decides the type from these bytes, not from the name.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const PERSON = { firstName: "Itzel", lastName: "Quetzalcóatl-Ramírez", email: "itzel.qr@example.org" };

/** Presses Tab (at most 80 times) until the element with `id` has the focus: keyboard only. */
async function tabTo(id: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if ((await page.evaluate(() => document.activeElement?.id ?? "")) === id) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached #${id}`);
}

// Headless Chromium now and then ignores the first key press on a file input: press again, still by keyboard.
async function chooseFileByKeyboard(id: string): Promise<FileChooser> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await tabTo(id);
    const opened = page.waitForEvent("filechooser", { timeout: 5000 }).catch(() => null);
    await page.keyboard.press("Space");
    const chooser = await opened;
    if (chooser) return chooser;
  }
  throw new Error(`no file chooser opened from #${id}`);
}

async function graphqlAs(as: Page, query: string, variables: Record<string, unknown>) {
  const res = await as.request.post("/api/graphql", {
    data: { query, variables },
    headers: { "content-type": "application/json", "apollo-require-preflight": "true" },
  });
  const json = await res.json();
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  return json.data;
}

/** A second browser context signed in as Street Maintenance staff, to act through the API. */
async function streetsStaff() {
  const staff = await page.context().browser()!.newContext({ baseURL: session.app.url });
  const staffPage = await staff.newPage();
  await signIn(staffPage, "streets@star.local");
  await staffPage.waitForURL((u) => !u.pathname.startsWith("/signin"));
  return { staff, staffPage };
}

describe("self-service in the browser", () => {
  it("takes a request in Spanish with a photo from the keyboard alone, and shows the department's answer", async () => {
    await page.goto("/es/request");
    expect(await page.locator("html").getAttribute("lang")).toBe("es");
    await page.getByRole("heading", { name: "Reporte un problema a la ciudad" }).waitFor();
    await page.locator("#category option", { hasText: "Bache" }).first().waitFor({ state: "attached" });
    await expectAccessible(page, "the request form in Spanish");

    await tabTo("category-search");
    await page.keyboard.type("bache");
    await tabTo("category");
    await page.keyboard.type("Bache");
    expect(await page.locator("#category option:checked").innerText()).toBe("Bache");
    await tabTo("description");
    await page.keyboard.type("Hay un bache muy profundo en el carril de bicicletas.");
    await tabTo("address");
    await page.keyboard.type("200 W Jefferson St");
    await tabTo("file");
    const chooser = await chooseFileByKeyboard("file");
    await chooser.setFiles({ name: "bache.png", mimeType: "image/png", buffer: PNG });
    await page.getByRole("list", { name: "Archivos adjuntos" }).getByText("bache.png").waitFor();
    await tabTo("firstName");
    await page.keyboard.type(PERSON.firstName);
    await tabTo("lastName");
    await page.keyboard.type(PERSON.lastName);
    await tabTo("email");
    await page.keyboard.type(PERSON.email);
    await tabTo("notice");
    await page.keyboard.press("Space");
    await tabTo("submit-request");
    await page.keyboard.press("Enter");

    await page.locator("#receipt-reference, #form-errors").first().waitFor();
    if (await page.locator("#form-errors").count()) {
      throw new Error(`the form refused the request: ${await page.locator("#form-errors").innerText()}`);
    }
    const reference = await textOf(page, "#receipt-reference");
    const code = await textOf(page, "#receipt-code");
    expect(reference).toMatch(/^STAR-\d{2}-\d{6}$/);
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    // Focus moves to the receipt, so a screen reader announces it.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("receipt-heading");
    expect(await textOf(page, ".result")).toContain("Mantenimiento de Calles");
    await expectAccessible(page, "the receipt in Spanish");

    await tabTo("tracking-link");
    await page.keyboard.press("Enter");
    await page.waitForURL(
      (u) => u.pathname === "/es/request/status" && u.searchParams.get("ref") === reference,
    );
    expect(await textOf(page, "#status-value")).toBe("Recibida");
    await expectAccessible(page, "the status page in Spanish");

    // The department answers through the API.
    const { staff, staffPage } = await streetsStaff();
    const found = await graphqlAs(
      staffPage,
      `query ($r: String!) { contact(referenceNumber: $r) { assignments { id version status } } }`,
      { r: reference },
    );
    const a = found.contact.assignments[0];
    const data = await graphqlAs(
      staffPage,
      `mutation ($input: RespondToAssignmentInput!) { respondToAssignment(input: $input) { id } }`,
      {
        input: {
          assignmentId: a.id,
          version: a.version,
          kind: "RESPONSE",
          channel: "WEB",
          body: `Estimada ${PERSON.firstName}: una cuadrilla reparará el bache esta semana.`,
        },
      },
    );
    expect(data.respondToAssignment.id).toBeTruthy();
    await staff.close();

    await page.reload();
    const answers = await textOf(page, "#status-answers");
    expect(answers).toContain("una cuadrilla reparará el bache esta semana");
    expect(await textOf(page, "#status-value")).toBe("En proceso");
    const whole = await page.locator("body").innerText();
    for (const s of [PERSON.firstName, PERSON.lastName, PERSON.email]) expect(whole).not.toContain(s);
    await expectAccessible(page, "the status page with an answer");
  });

  it.each(["", "/es"])(
    "passes axe on every public page (%s), errors and results included",
    async (prefix) => {
      const lang = prefix ? "es" : "en";
      await page.goto(`${prefix}/request`);
      expect(await page.locator("html").getAttribute("lang")).toBe(lang);
      await page.locator("#category optgroup").first().waitFor({ state: "attached" });
      await expectAccessible(page, `${prefix}/request`);
      // The browser's position, once the person allows it, stands in for an address.
      await page.context().grantPermissions(["geolocation"], { origin: session.app.url });
      await page.context().setGeolocation({ latitude: 33.4484, longitude: -112.074 });
      await page
        .getByRole("button", { name: lang === "es" ? "Usar mi ubicación actual" : "Use my current location" })
        .click();
      await page.getByText("33.44840, -112.07400").waitFor();
      await page.locator("#submit-request").click();
      await page.locator("#form-errors").waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("form-errors");
      expect(await page.locator("#description").getAttribute("aria-describedby")).toContain(
        "description-error",
      );
      expect(await page.locator("#address-error").count()).toBe(0);
      expect(await textOf(page, "#description-error")).toContain(
        lang === "es" ? "Describa el problema" : "Describe the problem",
      );
      await expectAccessible(page, `${prefix}/request with errors`);

      await page.goto(`${prefix}/request/status?ref=STAR-26-999999&code=AAAA-BBBB-CCCC-DDDD`);
      expect(await page.locator("html").getAttribute("lang")).toBe(lang);
      await page.locator("#status-result [role=alert]").waitFor();
      await expectAccessible(page, `${prefix}/request/status`);

      await page.goto(`${prefix}/help?q=${encodeURIComponent(lang === "es" ? "basura" : "missed pickup")}`);
      expect(await page.locator("html").getAttribute("lang")).toBe(lang);
      await page.locator(".task-list li").first().waitFor();
      expect(await page.locator(".task-list li h2").first().innerText()).toMatch(
        lang === "es" ? /basura|reciclaje/i : /Missed/,
      );
      await expectAccessible(page, `${prefix}/help`);

      // Each answer leads straight to the form with its topic chosen.
      await page.locator(".task-list li a").first().click();
      await page.waitForURL((u) => u.pathname === `${prefix}/request` && u.searchParams.has("category"));
      await page.waitForFunction(
        () => (document.getElementById("category") as HTMLSelectElement)?.value !== "",
      );
    },
  );

  it("offers an open report at the same place, and adds the submitter to it", async () => {
    const fill = async (description: string) => {
      await page.goto("/request");
      await page.locator("#category option", { hasText: "Pothole" }).first().waitFor({ state: "attached" });
      await page.locator("#category").selectOption({ label: "Pothole" });
      await page.locator("#description").fill(description);
      await page.locator("#address").fill("715 E Roosevelt St");
      await page.locator("#address").blur();
    };
    const send = async () => {
      await page.locator("#firstName").fill("Wren");
      await page.locator("#lastName").fill("Castillo-Begay");
      await page.locator("#notice").check();
      await page.locator("#submit-request").click();
      await page.locator("#receipt-reference").waitFor();
      return textOf(page, "#receipt-reference");
    };
    await fill("A pothole in front of the corner store on Roosevelt.");
    const first = await send();

    await fill("The same pothole on Roosevelt, still there.");
    const offer = page.locator("#duplicates");
    await offer.waitFor();
    expect(await offer.innerText()).toContain(first);
    await expectAccessible(page, "the form offering an open report");
    await offer.getByRole("button", { name: `Add me to ${first}` }).click();
    expect(await textOf(page, "#duplicates [role=status]")).toContain(first);
    const second = await send();
    expect(second).not.toBe(first);

    const { staff, staffPage } = await streetsStaff();
    const found = await graphqlAs(
      staffPage,
      `query ($r: String!) { contact(referenceNumber: $r) { duplicateOf { referenceNumber } } }`,
      { r: second },
    );
    expect(found.contact.duplicateOf.referenceNumber).toBe(first);
    await staff.close();
  });
});
