import type { Browser, BrowserContext, Page } from "playwright-core";
import { startAppServer, type AppServer } from "./support/app-server";
import { expectAccessible, launchBrowser, textOf } from "./support/browser";

let app: AppServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [app, browser] = await Promise.all([startAppServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});
beforeEach(async () => {
  context = await browser.newContext({
    baseURL: app.url,
    timezoneId: "UTC",
    locale: "en-US",
    javaScriptEnabled: false,
  });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
});
afterEach(async () => {
  await context.close();
});

const focusedId = () => page.evaluate(() => document.activeElement?.id ?? "");

/**
 * axe runs as a script and stalls where scripts are off: it checks the very document the server sent
 * (its scripts taken out, so nothing hydrates), served at the same address in a context where it can run.
 */
async function expectAccessibleAsServed(what: string): Promise<void> {
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, "");
  const checker = await browser.newContext({ baseURL: app.url, timezoneId: "UTC", locale: "en-US" });
  try {
    const copy = await checker.newPage();
    const url = page.url();
    await copy.route(url, (route) =>
      route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }),
    );
    await copy.goto(url);
    expect(await copy.locator("script").count()).toBe(0);
    await expectAccessible(copy, what);
  } finally {
    await checker.close();
  }
}

interface Filled {
  topic: string;
  description?: string;
  address: string;
  firstName: string;
  lastName: string;
  email?: string;
}

async function fillRequest(f: Filled): Promise<void> {
  await page.locator("#category").selectOption({ label: f.topic });
  if (f.description) await page.locator("#description").fill(f.description);
  await page.locator("#address").fill(f.address);
  await page.locator("#firstName").fill(f.firstName);
  await page.locator("#lastName").fill(f.lastName);
  if (f.email) await page.locator("#email").fill(f.email);
  await page.locator("#notice").check();
}

async function send(): Promise<number> {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.locator("#submit-request").click(),
  ]);
  await page.waitForLoadState();
  return res.status();
}

async function receiptOf(): Promise<{ reference: string; code: string }> {
  if (await page.locator("#form-errors").count()) {
    throw new Error(`the form refused the request: ${await page.locator("#form-errors").innerText()}`);
  }
  const reference = await textOf(page, "#receipt-reference");
  const code = await textOf(page, "#receipt-code");
  expect(reference).toMatch(/^STAR-\d{2}-\d{6}$/);
  expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  return { reference, code };
}

describe("the public pages without JavaScript", () => {
  it("takes a request in English, shows the receipt once, and follows it to its status", async () => {
    await page.goto("/request");
    await expectAccessibleAsServed("the request form without script");
    // What needs script says so instead of doing nothing.
    expect(await page.locator("#file").count()).toBe(0);
    expect(await textOf(page, "#file-needs-script")).toContain("needs JavaScript");
    expect(await page.getByRole("button", { name: "Use my current location" }).count()).toBe(0);

    await fillRequest({
      topic: "Pothole",
      description: "A deep pothole in the right lane, next to the bus stop.",
      address: "200 W Washington St",
      firstName: "Tomás",
      lastName: "Nakai-Begay",
      email: "tomas.nb@example.org",
    });
    expect(await send()).toBe(200);
    const { reference, code } = await receiptOf();
    expect(await page.locator("#receipt-heading").innerText()).toBe("Thank you: your request was received");
    expect(await focusedId()).toBe("receipt-heading");
    const receipt = await textOf(page, ".result");
    expect(receipt).toContain("it is shown only once");
    expect(receipt).toContain("Street Maintenance");
    expect(receipt).toContain("A receipt was sent to your email.");
    await expectAccessibleAsServed("the receipt without script");

    await page.locator("#tracking-link").click();
    await page.waitForURL((u) => u.pathname === "/request/status" && u.searchParams.get("ref") === reference);
    expect(await page.locator("#tracking-code").inputValue()).toBe(code);
    expect(await textOf(page, "#status-value")).toBe("Received");
    expect(await textOf(page, "#status-heading")).toBe(`Request ${reference}`);
    await expectAccessibleAsServed("the status page without script");
  });

  it("takes a request in Spanish and shows the receipt in Spanish", async () => {
    await page.goto("/es/request");
    expect(await page.locator("html").getAttribute("lang")).toBe("es");
    expect(await textOf(page, "#file-needs-script")).toContain("se necesita JavaScript");
    await fillRequest({
      topic: "Bache",
      description: "Hay un bache muy profundo en el carril de bicicletas.",
      address: "200 W Jefferson St",
      firstName: "Itzel",
      lastName: "Quetzalcóatl-Ramírez",
    });
    expect(await send()).toBe(200);
    const { reference } = await receiptOf();
    expect(await page.locator("#receipt-heading").innerText()).toBe("Gracias: recibimos su solicitud");
    await expectAccessibleAsServed("the receipt in Spanish without script");

    await page.locator("#tracking-link").click();
    await page.waitForURL(
      (u) => u.pathname === "/es/request/status" && u.searchParams.get("ref") === reference,
    );
    expect(await textOf(page, "#status-value")).toBe("Recibida");
  });

  it.each([
    ["en", "", "Describe the problem.", "Please correct the following:"],
    ["es", "/es", "Describa el problema.", "Corrija lo siguiente:"],
  ])(
    "names a missing required field (%s), linked and focused, and keeps what was typed",
    async (lang, prefix, message) => {
      await page.goto(`${prefix}/request`);
      await fillRequest({
        topic: lang === "es" ? "Bache" : "Pothole",
        address: "3rd Ave and Adams St",
        firstName: "Ana María",
        lastName: "Wu",
        email: "not-an-email",
      });
      expect(await send()).toBe(400);
      expect(await page.locator("html").getAttribute("lang")).toBe(lang);
      const summary = page.locator("#form-errors");
      expect(await summary.getAttribute("tabindex")).toBe("-1");
      expect(await focusedId()).toBe("form-errors");
      expect(await summary.getByRole("link", { name: message }).getAttribute("href")).toBe("#description");
      // Every problem the scripted form would list, not only the first one the server found.
      expect(await summary.getByRole("link").count()).toBe(2);
      expect(await summary.locator("a[href='#email']").count()).toBe(1);
      expect(await textOf(page, "#description-error")).toContain(message);
      expect(await page.locator("#description").getAttribute("aria-invalid")).toBe("true");
      expect(await page.locator("#description").getAttribute("aria-describedby")).toContain(
        "description-error",
      );
      expect(await page.locator("#email").getAttribute("aria-invalid")).toBe("true");
      expect(await page.locator("#address").getAttribute("aria-invalid")).toBeNull();

      expect(await page.locator("#category option:checked").innerText()).toBe(
        lang === "es" ? "Bache" : "Pothole",
      );
      expect(await page.locator("#address").inputValue()).toBe("3rd Ave and Adams St");
      expect(await page.locator("#firstName").inputValue()).toBe("Ana María");
      expect(await page.locator("#lastName").inputValue()).toBe("Wu");
      expect(await page.locator("#email").inputValue()).toBe("not-an-email");
      expect(await page.locator("#notice").isChecked()).toBe(true);
      await expectAccessibleAsServed(`${prefix}/request with errors, without script`);

      // Corrected, the same page sends it.
      await page
        .locator("#description")
        .fill(
          lang === "es"
            ? "La banqueta está rota frente a la escuela."
            : "The sidewalk is broken by the school.",
        );
      await page.locator("#email").fill("");
      expect(await send()).toBe(200);
      await receiptOf();
    },
  );

  it("refuses a post without the form's token, with a clear error and the values kept", async () => {
    await page.goto("/request");
    await fillRequest({
      topic: "Pothole",
      description: "Sent from a page whose token went stale.",
      address: "200 W Washington St",
      firstName: "Lee",
      lastName: "Okafor",
    });
    await page.locator("input[name=csrf]").evaluate((el) => el.setAttribute("value", "forged.token"));
    expect(await send()).toBe(403);
    expect(await textOf(page, "#form-errors")).toContain("This form expired");
    expect(await page.locator("#description").inputValue()).toBe("Sent from a page whose token went stale.");
    expect(await page.locator("#receipt-reference").count()).toBe(0);
    // The page came back with a good token: sending again works.
    expect(await send()).toBe(200);
    await receiptOf();

    const bare = await context.request.post("/request", {
      form: { categoryId: "x", description: "no token" },
      maxRedirects: 0,
    });
    expect(bare.status()).toBe(403);
    expect(await bare.text()).toContain("This form expired");
  });

  it("looks up a request's status with the reference and code from the form", async () => {
    await page.goto("/request");
    await fillRequest({
      topic: "Pothole",
      description: "Pothole to look up later.",
      address: "1 N 1st St",
      firstName: "Grace",
      lastName: "Yazzie",
    });
    await send();
    const { reference, code } = await receiptOf();

    for (const [prefix, received, notFound] of [
      ["", "Received", "We found no request"],
      ["/es", "Recibida", "No encontramos"],
    ]) {
      await page.goto(`${prefix}/request/status`);
      await expectAccessibleAsServed(`${prefix}/request/status without script`);
      await page.locator("#reference").fill(reference);
      await page.locator("#tracking-code").fill("AAAA-BBBB-CCCC-DDDD");
      await page.locator("form.panel button[type=submit]").click();
      await page.waitForURL((u) => u.searchParams.get("ref") === reference);
      expect(await textOf(page, "#status-result [role=alert]")).toContain(notFound);
      expect(await page.locator("#status-value").count()).toBe(0);

      await page.locator("#tracking-code").fill(code.toLowerCase());
      await page.locator("form.panel button[type=submit]").click();
      await page.waitForURL((u) => u.searchParams.get("code") === code.toLowerCase());
      expect(await textOf(page, "#status-value")).toBe(received);
      expect(await textOf(page, "#status-heading")).toContain(reference);
      await expectAccessibleAsServed(`${prefix}/request/status with a result, without script`);
    }
  });

  it("searches the help page's answers and leads to the form, in both languages", async () => {
    for (const [prefix, question, topic] of [
      ["", "pothole", "Pothole"],
      ["/es", "bache", "Bache"],
    ]) {
      await page.goto(`${prefix}/help`);
      await page.locator("#help-query").fill(question);
      await page.locator("form[role=search] button[type=submit]").click();
      await page.waitForURL((u) => u.searchParams.get("q") === question);
      expect(await textOf(page, "[role=status]")).toMatch(/\d/);
      const first = page.locator(".task-list li").first();
      expect(await first.locator("h2").innerText()).toContain(topic);
      await expectAccessibleAsServed(`${prefix}/help with answers, without script`);
      await first.locator("a").click();
      await page.waitForURL((u) => u.pathname === `${prefix}/request` && u.searchParams.has("category"));
    }
  });

  it("switches language from the header, keeping the page and its question", async () => {
    await page.goto("/help?q=pothole");
    await page.locator("a[hreflang=es]").click();
    await page.waitForURL((u) => u.pathname === "/es/help" && u.searchParams.get("q") === "pothole");
    expect(await page.locator("html").getAttribute("lang")).toBe("es");
    expect(await textOf(page, "h1")).not.toBe("");
    await page.locator("a[hreflang=en]").click();
    await page.waitForURL((u) => u.pathname === "/help");
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
  });
});
