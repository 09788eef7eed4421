import type { Page } from "playwright-core";
import { expectAccessible, signIn, textOf } from "./support/browser";
import { browserSessionPerTest } from "./support/session";
import { constituentIdFor, MARIA, REFERENCE } from "./support/intake-flow";

const session = browserSessionPerTest();
let page: Page;
beforeEach(() => {
  page = session.page;
});

async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await page.request.post("/api/graphql", {
    headers: { "content-type": "application/json" },
    data: { query, variables },
  });
  const json = (await res.json()) as { data?: T; errors?: unknown };
  if (!json.data || json.errors) throw new Error(`GraphQL failed: ${JSON.stringify(json)}`);
  return json.data;
}

/** A fresh pothole report for María, so the test knows it is open, unassigned and not confidential. */
async function reportPothole(description: string): Promise<string> {
  const { categories } = await graphql<{ categories: { id: string; name: string }[] }>(
    "{ categories { id name } }",
  );
  const pothole = categories.find((c) => c.name === "Pothole");
  if (!pothole) throw new Error(`no Pothole category in ${categories.map((c) => c.name).join(", ")}`);
  const constituentId = await constituentIdFor(page, MARIA.query);
  const { recordContact } = await graphql<{ recordContact: { referenceNumber: string } }>(
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
        locationAddress: "1200 W Van Buren St",
      },
    },
  );
  return recordContact.referenceNumber;
}

describe("the department queue in the browser", () => {
  it("claims a pothole from the queue, answers it with the standard response, and shows the answer to the constituent's record", async () => {
    await page.goto("/queue");
    await page.waitForURL(/\/signin\?callbackUrl=%2Fqueue$/);
    await signIn(page, "streets@star.local");
    await page.waitForURL((u) => u.pathname === "/queue");
    await page.getByRole("heading", { level: 1, name: /Queue/ }).waitFor();
    await page.locator(".queue-table").waitFor();
    expect(await textOf(page, ".counts")).toMatch(/Open\s*[\d,]+.*Overdue\s*[\d,]+.*Due today\s*[\d,]+/s);
    // Overdue rows say so in words, not only with a coloured border.
    for (const text of await page.locator(".queue-row--overdue").allInnerTexts())
      expect(text).toContain("Overdue");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Queue" }).waitFor();
    await expectAccessible(page, "the queue");

    const description = "A deep pothole in the right lane, cars swerve around it.";
    const reference = await reportPothole(description);
    expect(reference).toMatch(REFERENCE);

    // The filters and the sort live in the URL.
    await page.getByLabel("Status").selectOption("OPEN");
    await page.getByLabel("Unassigned only").check();
    await page.getByLabel("Sort by").selectOption("ASSIGNED_AT_DESC");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((u) => u.search.includes("status=OPEN") && u.search.includes("unassigned=1"));
    expect(new URL(page.url()).searchParams.get("sort")).toBe("ASSIGNED_AT_DESC");
    const row = page.locator(".queue-table tbody tr", { hasText: reference });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Pothole/);
    expect(await row.innerText()).toMatch(/Open/);

    await row.getByRole("link", { name: reference }).click();
    await page.waitForURL(/\/assignments\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { level: 1, name: new RegExp(reference) }).waitFor();
    expect(await textOf(page, "#contact-heading + dl")).toContain(MARIA.name);
    await expectAccessible(page, "an open assignment");

    await page
      .locator("section[aria-labelledby='assignment-heading']")
      .getByRole("button", { name: "Claim" })
      .click();
    await page.getByRole("status").getByText("You claimed this assignment.").waitFor();
    expect(await textOf(page, "section[aria-labelledby='assignment-heading']")).toMatch(
      /In progress[\s\S]*Sam Streets/,
    );

    const answer = page.getByLabel("Response", { exact: true });
    const standard = await answer.inputValue();
    expect(standard).toContain(reference);
    // María prefers Spanish: the standard response starts in her language.
    expect(standard).toMatch(/Gracias por reportar este bache/);
    await page.getByLabel("Delivered by").selectOption("LETTER");
    // A letter is generated from the text unless the user says otherwise.
    expect(await page.getByLabel("Generate a letter (PDF) from this text").isChecked()).toBe(true);
    await page.getByLabel("Final answer (completes the assignment)").check();
    await page.getByRole("button", { name: "Record response" }).click();
    await page
      .getByRole("status")
      .getByText(/final response was recorded/)
      .waitFor();
    const assignmentPanel = page.locator("section[aria-labelledby='assignment-heading']");
    await assignmentPanel.locator(".assignment__head").getByText("Completed", { exact: true }).waitFor();
    expect(await textOf(page, "section[aria-labelledby='responses-heading']")).toContain(standard.trim());
    expect(await textOf(page, "section[aria-labelledby='timeline-heading']")).toContain("Sam Streets");
    await expectAccessible(page, "a completed assignment");

    // Generated again (after an address correction, say), the letter joins the one first sent.
    const responses = page.locator("section[aria-labelledby='responses-heading']");
    await responses.getByText("Generate the letter again").click();
    await responses.getByLabel("Why").fill("The address was corrected.");
    await responses.getByRole("button", { name: "Generate the letter", exact: true }).click();
    await responses
      .getByRole("status")
      .getByText(/Generated .*response-letter\.pdf/)
      .waitFor();
    await responses
      .getByRole("list", { name: "Letters attached to this response" })
      .getByRole("link")
      .nth(1)
      .waitFor();
    await expectAccessible(page, "a response's letter generated again");

    await page.getByRole("link", { name: MARIA.name }).click();
    await page.waitForURL(/\/constituents\/[0-9a-f-]{36}$/);
    const item = page.locator(".history-item", { hasText: reference });
    await item.waitFor();
    const itemText = await item.innerText();
    expect(itemText).toContain("Final response");
    expect(itemText).toContain("by Letter");
    const letter = item
      .getByRole("list", { name: "Letters attached to this response" })
      .getByRole("link", { name: `${reference}-response-letter.pdf` })
      .first();
    expect(await letter.getAttribute("href")).toMatch(/^\/api\/attachments\/[0-9a-f-]{36}$/);
    expect(itemText).toContain("PDF");
    expect(itemText).toContain(standard.trim());
    expect(itemText).toMatch(/Closed/);
  });

  it("shows the current state after someone else's change, and asks before a second final answer", async () => {
    await signIn(page, "streets@star.local");
    await page.waitForURL((u) => u.pathname !== "/signin");
    const reference = await reportPothole("Pothole at the bus stop, reported again after a repair.");
    const { contact } = await graphql<{ contact: { assignments: { id: string; version: number }[] } }>(
      "query($r: String!) { contact(referenceNumber: $r) { assignments { id version } } }",
      { r: reference },
    );
    const [assignment] = contact.assignments;
    await page.goto(`/assignments/${assignment.id}`);
    await page.getByRole("heading", { level: 1, name: new RegExp(reference) }).waitFor();

    // Claimed elsewhere (another tab) after this page loaded: the page's version is stale.
    await graphql("mutation($i: ClaimAssignmentInput!) { claimAssignment(input: $i) { id } }", {
      i: { id: assignment.id, version: assignment.version },
    });
    const panel = page.locator("section[aria-labelledby='assignment-heading']");
    await panel.getByRole("button", { name: "Claim" }).click();
    const alert = page.locator("#assignment-problem");
    await alert.getByText("Someone else changed this assignment; here is the current state.").waitFor();
    await page.waitForFunction(() => document.activeElement?.id === "assignment-problem");
    await panel.locator(".assignment__head").getByText("In progress", { exact: true }).waitFor();
    expect(await panel.innerText()).toContain("Sam Streets");

    await page.getByLabel("Delivered by").selectOption("PHONE");
    await page.getByLabel("Final answer (completes the assignment)").check();
    await page.getByRole("button", { name: "Record response" }).click();
    await panel.locator(".assignment__head").getByText("Completed", { exact: true }).waitFor();

    await page.getByLabel("Reason for reopening").fill("The constituent called: the hole is back.");
    await page.getByRole("button", { name: "Reopen" }).click();
    await page.getByRole("status").getByText("The contact was reopened.").waitFor();
    await panel.locator(".assignment__head").getByText("In progress", { exact: true }).waitFor();
    expect(await textOf(page, "section[aria-labelledby='timeline-heading']")).toContain("the hole is back");

    const second = "A crew will return this week to make a permanent repair.";
    await page.getByLabel("Response", { exact: true }).fill(second);
    await page.getByLabel("Delivered by").selectOption("EMAIL");
    await page.getByLabel("Final answer (completes the assignment)").check();
    await page.getByRole("button", { name: "Record response" }).click();
    const compare = page.locator(".compare");
    await compare.getByRole("heading", { name: "This contact already has a final answer" }).waitFor();
    expect(await compare.locator("section", { hasText: "Earlier answer" }).innerText()).toMatch(/Gracias/);
    expect(await compare.locator("section", { hasText: "Your answer" }).innerText()).toContain(second);
    const sendAnyway = compare.getByRole("button", { name: "Send my answer as well" });
    expect(await sendAnyway.isDisabled()).toBe(true);
    await expectAccessible(page, "the second final answer, side by side with the first");

    await compare.getByLabel("I have read the earlier answer").check();
    await sendAnyway.click();
    await page
      .getByRole("status")
      .getByText(/final response was recorded/)
      .waitFor();
    await panel.locator(".assignment__head").getByText("Completed", { exact: true }).waitFor();
    const responses = await textOf(page, "section[aria-labelledby='responses-heading']");
    expect(responses).toContain(second);
    expect(responses).toMatch(/Gracias/);
    // No SMTP server in this run: the emailed answer waits in the outbox.
    expect(responses).toContain("Email delivery: Queued");
  });

  it("transfers a misrouted assignment with a reason, and the old one shows as transferred", async () => {
    await signIn(page, "streets@star.local");
    await page.waitForURL((u) => u.pathname !== "/signin");
    const reference = await reportPothole("Water is gushing out of the pavement, it is not a pothole.");
    await page.goto("/queue?sort=ASSIGNED_AT_DESC");
    await page.locator(".queue-table tbody tr", { hasText: reference }).getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: new RegExp(reference) }).waitFor();

    await page.getByRole("button", { name: "Transfer" }).click();
    await page.locator("#transfer-department-error").getByText("Choose the department").waitFor();
    await page.waitForFunction(() => document.activeElement?.id === "transfer-department");
    await page.getByLabel("Department", { exact: true }).first().selectOption({ label: "Water Services" });
    await page.getByLabel("Correct the category").selectOption({ label: "Water Leak (Water Services)" });
    await page.locator("#transfer-reason").fill("A water main leak, not a pothole.");
    await page.getByRole("button", { name: "Transfer" }).click();
    await page.getByRole("status").getByText("Transferred to Water Services.").waitFor();
    const head = page.locator("section[aria-labelledby='assignment-heading'] .assignment__head");
    await head.getByText("Transferred", { exact: true }).waitFor();
    // Nothing left for Street Maintenance to do: no respond form.
    expect(await page.getByRole("button", { name: "Record response" }).count()).toBe(0);
  });

  it("gives the City Manager's Office a department picker, and analysts a read-only queue", async () => {
    await signIn(page, "cmo@star.local");
    await page.waitForURL((u) => u.pathname !== "/signin");
    await page.goto("/queue");
    await page.getByRole("heading", { level: 1, name: /All departments/ }).waitFor();
    await page.locator(".queue-table").waitFor();
    expect(await page.locator(".queue-table thead").innerText()).toContain("Department");
    await expectAccessible(page, "the city-wide queue");
    const caption = await textOf(page, ".queue-table caption");
    const [shown, total] = (/showing ([\d,]+) of ([\d,]+)/.exec(caption) ?? [])
      .slice(1)
      .map((n) => Number(n.replace(/,/g, "")));
    const more = page.getByRole("button", { name: "Load more" });
    if (total > shown) {
      await more.click();
      await page.waitForFunction((n) => document.querySelectorAll(".queue-table tbody tr").length > n, shown);
      expect(await textOf(page, ".queue-table caption")).toContain(`of ${total.toLocaleString("en-US")}`);
    } else {
      expect(await more.count()).toBe(0);
    }
    await page.getByLabel("Department").selectOption({ label: "Water Services" });
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByRole("heading", { level: 1, name: /Water Services/ }).waitFor();
    expect(new URL(page.url()).searchParams.get("department")).toMatch(/[0-9a-f-]{36}/);
    await page.getByRole("banner").getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((u) => u.pathname === "/signin");

    await signIn(page, "analyst@star.local");
    await page.waitForURL((u) => u.pathname !== "/signin");
    await page.goto("/queue");
    await page.locator(".queue-table").waitFor();
    expect(await page.getByRole("button", { name: /^Claim/ }).count()).toBe(0);
  });
});
