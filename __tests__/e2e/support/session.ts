import type { Browser, BrowserContext, Page } from "playwright-core";
import { startAppServer, type AppServer } from "./app-server";
import { launchBrowser, newContext } from "./browser";

export interface BrowserSession {
  readonly app: AppServer;
  readonly page: Page;
}

/**
 * One app server and one Chromium per test file; a fresh context and page per test. A test fails when
 * the page logs a script error or a hydration mismatch (they show in the console first), and, with
 * `failOnApiErrors`, when any /api/ call answers 4xx or 5xx.
 */
export function browserSessionPerTest(opts: { failOnApiErrors?: boolean } = {}): BrowserSession {
  let app: AppServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startAppServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
  beforeEach(async () => {
    context = await newContext(browser, app.url);
    page = await context.newPage();
    errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      // Refused requests (a wrong password's 401, the favicon probe) are logged by the browser itself.
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
    });
    if (opts.failOnApiErrors) {
      page.on("response", (r) => {
        if (r.url().includes("/api/") && r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
      });
    }
  });
  afterEach(async () => {
    await context.close();
    expect(errors).toEqual([]);
  });

  return {
    get app() {
      return app;
    },
    get page() {
      return page;
    },
  };
}
