import type { DataSource } from "typeorm";
import { Language } from "../../../entities";
import { textKey } from "../search/text-key";
import { optionalText } from "../validation/validate";

/** What the public may know of a category: its names, description, department and standard answer. */
export interface PublicCategoryView {
  id: string;
  code: string;
  name: string;
  nameEs: string;
  description: string;
  descriptionEs: string;
  departmentName: string;
  departmentNameEs: string;
  standardResponse: string;
  standardResponseEs: string;
  keywords: string[];
}

interface CategoryRow {
  id: string;
  code: string;
  name: string;
  name_es: string;
  description: string;
  description_es: string;
  department_name: string;
  department_name_es: string;
  standard_response: string;
  standard_response_es: string;
  keywords: string[];
}

const CACHE_MS = 30_000;
let cache: { at: number; ds: DataSource; rows: PublicCategoryView[] } | undefined;

/** Active categories, grouped by department then by name; kept for a short while (public traffic). */
async function activeCategories(ds: DataSource): Promise<PublicCategoryView[]> {
  if (cache && cache.ds === ds && Date.now() - cache.at < CACHE_MS) return cache.rows;
  const rows: CategoryRow[] = await ds.query(
    `SELECT c.id, c.code, c.name, c.name_es, c.description, c.description_es, d.name AS department_name,
            COALESCE(d.name_es, d.name) AS department_name_es, c.standard_response, c.standard_response_es, c.keywords
       FROM category c JOIN department d ON d.id = c.department_id
      WHERE c.active AND d.active
      ORDER BY d.name, c.name`,
  );
  const views = rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    nameEs: r.name_es,
    description: r.description,
    descriptionEs: r.description_es,
    departmentName: r.department_name,
    departmentNameEs: r.department_name_es,
    standardResponse: r.standard_response,
    standardResponseEs: r.standard_response_es,
    keywords: r.keywords ?? [],
  }));
  cache = { at: Date.now(), ds, rows: views };
  return views;
}

/** Tests change categories between cases. */
export function forgetPublicCategories(): void {
  cache = undefined;
}

/**
 * The public category list, or those matching a question such as "how do I report a missed pickup?":
 * every word of at least three letters that appears in a category's names, description, keywords or
 * standard answer (either language, accents and case ignored) counts; names and keywords count more.
 */
export async function publicCategories(
  ds: DataSource,
  query?: string | null,
  language: Language = Language.EN,
): Promise<PublicCategoryView[]> {
  const all = await activeCategories(ds);
  const q = optionalText("query", query, { max: 200 });
  const words = q
    ? [
        ...new Set(
          textKey(q)
            .split(" ")
            .filter((w) => w.length >= 3 && !STOP.has(w)),
        ),
      ]
    : [];
  if (!words.length) return all;
  const scored = all
    .map((c) => {
      const strong = textKey(c.name, c.nameEs, ...c.keywords);
      const weak = textKey(c.description, c.descriptionEs, c.standardResponse, c.standardResponseEs);
      let score = 0;
      for (const w of words) {
        const stem = w.length > 4 ? w.replace(/(es|s)$/, "") : w;
        if (strong.includes(stem)) score += 3;
        else if (weak.includes(stem)) score += 1;
      }
      return { c, score };
    })
    .filter((s) => s.score > 0);
  const name = (c: PublicCategoryView) => (language === Language.ES ? c.nameEs : c.name);
  return scored.sort((a, b) => b.score - a.score || name(a.c).localeCompare(name(b.c))).map((s) => s.c);
}

// Words of questions that say nothing about the topic.
const STOP = new Set([
  "how",
  "the",
  "and",
  "for",
  "report",
  "what",
  "when",
  "where",
  "can",
  "who",
  "does",
  "with",
  "about",
  "como",
  "que",
  "reportar",
  "una",
  "los",
  "las",
  "del",
  "por",
  "para",
  "con",
  "cuando",
  "donde",
]);
