import type { Page } from "playwright-core";
import { expectAccessible, signIn } from "./support/browser";
import { browserSessionPerTest } from "./support/session";

const session = browserSessionPerTest();
let page: Page;
beforeEach(() => {
  page = session.page;
});

describe("the five-day dashboard in the browser", () => {
  it("shows the City Manager's Office the figures as charts and tables, with definitions and a CSV export", async () => {
    await page.goto("/reports");
    await page.waitForURL(/\/signin\?callbackUrl=%2Freports$/);
    await signIn(page, "cmo@star.local");
    await page.waitForURL((u) => u.pathname === "/reports");
    await page.getByRole("heading", { level: 1, name: "The five-day figure" }).waitFor();
    await page
      .getByRole("heading", { level: 2, name: /completed in under five days \(goal 95\.0%\)/ })
      .waitFor();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).waitFor();

    // Each chart is an image with a name, and its numbers are in a table too.
    for (const name of [
      "Share completed in under five days, by week",
      "Share completed in under five days, by department",
      "Open assignments by time since they were first assigned",
    ]) {
      await page.getByRole("img", { name }).waitFor();
    }
    for (const caption of [
      "The figures by week",
      "The figures by department",
      "The figures by category, grouped by department",
      "Open backlog by age",
    ]) {
      await page.getByRole("table", { name: caption }).waitFor();
    }
    const departmentRows = page.getByRole("table", { name: "The figures by department" }).locator("tbody tr");
    expect(await departmentRows.count()).toBeGreaterThan(0);
    const byCategory = page.getByRole("table", { name: "The figures by category, grouped by department" });
    expect(await byCategory.getByRole("rowheader").count()).toBeGreaterThan(0);
    expect(await page.getByRole("region", { name: "What the figures count" }).innerText()).toMatch(
      /Exactly 120 hours is not under five days/,
    );
    await expectAccessible(page, "the five-day dashboard");

    await page.getByLabel("Period").selectOption("4");
    await page.waitForURL((u) => u.searchParams.get("weeks") === "4");
    await page.getByText(/\(4 weeks\)/).waitFor();

    const href = await page.getByRole("link", { name: "CSV by department" }).getAttribute("href");
    const csv = await page.request.get(href!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
    expect((await csv.text()).split("\r\n")[0]).toBe(
      "group,key,label,from,to,completed,under_five_days,under_five_days_pct,on_time,on_time_pct,median_hours,p90_hours",
    );

    await page.getByRole("link", { name: "Consistency findings" }).click();
    await page.waitForURL((u) => u.pathname === "/reports/findings");
    await page.getByRole("heading", { level: 1, name: "Consistency findings" }).waitFor();
    for (const name of [
      /More than one answer/,
      /Far from the standard response/,
      /Contacted again/,
      /Transferred more than twice/,
      /No activity/,
    ]) {
      await page.getByRole("heading", { level: 2, name }).waitFor();
    }
    await expectAccessible(page, "the consistency findings");
    const findingsHref = await page
      .getByRole("link", { name: "Download the findings as CSV" })
      .getAttribute("href");
    const findings = await page.request.get(findingsHref!);
    expect(findings.status()).toBe(200);
    expect(findings.headers()["content-type"]).toMatch(/^text\/csv/);
    expect((await findings.text()).split("\r\n")[0]).toBe(
      "kind,reference_number,departments,category,detail,score,related_reference_number,at,contact_id,assignment_id",
    );
  });

  it("gives analysts the figures but not the findings", async () => {
    await page.goto("/signin");
    await signIn(page, "analyst@star.local");
    await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
    await page.goto("/reports");
    await page.getByRole("heading", { level: 1, name: "The five-day figure" }).waitFor();
    await page.getByRole("table", { name: "The figures by department" }).waitFor();
    expect(await page.getByRole("link", { name: "Consistency findings" }).count()).toBe(0);
    await page.goto("/reports/findings");
    await page
      .getByText(/Consistency findings are for the City Manager's Office and administrators/)
      .waitFor();
    await expectAccessible(page, "the findings page refused to an analyst");
  });
});
