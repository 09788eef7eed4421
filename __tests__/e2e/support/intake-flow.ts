import type { Page } from "playwright-core";

export const MARIA = { query: "Maria Hernandes", name: "María Hernández", phone: "(602) 555-0142" };
export const REFERENCE = /STAR-\d{2}-\d{6}/;

/** Step one: search and choose a constituent from the results. */
export async function searchAndChoose(page: Page, query: string, name: string): Promise<void> {
  await page.getByLabel("Name, phone or email").fill(query);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await page
    .getByRole("button", { name: `Choose ${name}` })
    .first()
    .click();
  await page.getByRole("heading", { name: "2. The contact" }).waitFor();
}

/** Step two: the fields every contact needs; waits for the routing preview. */
export async function fillContact(
  page: Page,
  opts: { category: string; description: string; department?: string; channel?: string },
): Promise<void> {
  if (opts.channel) await page.getByLabel("Channel").selectOption(opts.channel);
  await page.getByLabel("Category", { exact: true }).selectOption({ label: opts.category });
  if (opts.department) await page.locator("#routing-preview").getByText(opts.department).waitFor();
  await page.getByLabel("Description").fill(opts.description);
}

/** Saves and returns the reference number shown in the status box. */
export async function saveAndReadReference(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Save contact" }).click();
  const status = page.getByRole("status");
  await status.getByText(REFERENCE).waitFor();
  const match = REFERENCE.exec(await status.innerText());
  if (!match) throw new Error("no reference number in the status box");
  return match[0];
}

/** The id of a constituent, as the signed-in user's own search sees it. */
export async function constituentIdFor(page: Page, query: string): Promise<string> {
  const res = await page.request.post("/api/graphql", {
    headers: { "content-type": "application/json" },
    data: {
      query: "query($q: String!) { searchConstituents(query: $q, limit: 1) { constituent { id } } }",
      variables: { q: query },
    },
  });
  const json = (await res.json()) as { data?: { searchConstituents: { constituent: { id: string } }[] } };
  const id = json.data?.searchConstituents[0]?.constituent.id;
  if (!id) throw new Error(`no constituent found for ${query}: ${JSON.stringify(json)}`);
  return id;
}
