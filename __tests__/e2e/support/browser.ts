import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const DEMO_PASSWORD = process.env.STAR_DEMO_PASSWORD ?? "star-demo";

/** Debian's Chromium; playwright's own browser download does not work here. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.STAR_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** A fresh browser profile. Its clock is not the city's, so the pages must name the city's zone. */
export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, timezoneId: "UTC", locale: "en-US" });
  context.setDefaultTimeout(15_000);
  return context;
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith("/signin")) await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Runs axe on the page as it is now and fails with a readable list of what it found. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.replace(/\n/g, " ")}`).join("\n"),
  );
  if (found.length) throw new Error(`axe found problems on ${what}:\n${found.join("\n")}`);
  expect(results.passes.length).toBeGreaterThan(0);
}

/** The text of an element once it is visible. */
export async function textOf(page: Page, selector: Parameters<Page["locator"]>[0]): Promise<string> {
  const loc = page.locator(selector).first();
  await loc.waitFor({ state: "visible" });
  return (await loc.innerText()).trim();
}
