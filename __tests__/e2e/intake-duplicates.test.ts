import type { Page } from "playwright-core";
import { expectAccessible, signIn, textOf } from "./support/browser";
import { browserSessionPerTest } from "./support/session";
import { fillContact, MARIA, saveAndReadReference, searchAndChoose } from "./support/intake-flow";

const session = browserSessionPerTest({ failOnApiErrors: true });
let page: Page;
beforeEach(() => {
  page = session.page;
});

// A place no demo contact uses, so only this test's first report can be offered.
const PLACE = "4821 North Quillfeather Lane";

describe("duplicate requests at intake", () => {
  it("offers the open pothole at the same address, links the second report to it, and says so", async () => {
    await signIn(page, "intake@star.local");
    await page.waitForURL((u) => u.pathname === "/intake");
    await searchAndChoose(page, MARIA.query, MARIA.name);
    await fillContact(page, { category: "Pothole", description: "Deep pothole in the eastbound lane." });
    await page.getByLabel(/Location of the issue/).fill(PLACE);
    const first = await saveAndReadReference(page);
    expect(await textOf(page, ".result")).not.toContain("Linked to");

    await page.getByRole("button", { name: new RegExp(`Another contact for ${MARIA.name}`) }).click();
    await page.getByRole("heading", { name: "2. The contact" }).waitFor();
    await fillContact(page, {
      category: "Pothole",
      description: "The same pothole; a tyre burst on it today.",
    });
    await page.getByLabel(/Location of the issue/).fill(`${PLACE}.`);

    const offered = page.getByRole("group", { name: "This may already be reported" });
    await offered.waitFor();
    const same = offered.getByRole("radio", { name: `Same issue as ${first}` });
    expect(await offered.innerText()).toContain("Deep pothole in the eastbound lane.");
    expect(await offered.innerText()).toContain("Open");
    expect(await offered.getByRole("radio", { name: /None of these/ }).isChecked()).toBe(true);
    await expectAccessible(page, "the contact form offering a possible duplicate");
    await same.check();

    const second = await saveAndReadReference(page);
    expect(second).not.toBe(first);
    const linked = page.getByTestId("linked-duplicate");
    await linked.waitFor();
    expect(await linked.innerText()).toBe(`Linked to ${first} (reported by 2 people)`);
    await expectAccessible(page, "the result step of a linked duplicate");
  });

  it("offers nothing for another category at the same address", async () => {
    await signIn(page, "intake@star.local");
    await page.waitForURL((u) => u.pathname === "/intake");
    await searchAndChoose(page, MARIA.query, MARIA.name);
    await fillContact(page, { category: "Water Leak", description: "Water running down the gutter." });
    await page.getByLabel(/Location of the issue/).fill(PLACE);
    // Longer than the debounce and the round trip; the list must still be absent.
    await page.waitForTimeout(1500);
    expect(await page.getByRole("group", { name: "This may already be reported" }).count()).toBe(0);
    const reference = await saveAndReadReference(page);
    expect(reference).toMatch(/STAR-/);
    expect(await textOf(page, ".result")).not.toContain("Linked to");
  });
});
