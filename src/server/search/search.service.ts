import type { DataSource } from "typeorm";
import type { Constituent } from "../../../entities";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { badInput } from "../errors/domain-error";
import { hydrate } from "../db/hydrate";
import { preparedQuery } from "../db/data-source";
import { toE164 } from "../intake/phone";
import { scoreSearchMatch, type Match } from "./match-scoring";
import { textKey } from "./text-key";

export interface ConstituentMatchResult extends Match {
  constituent: Constituent;
}

// Candidates come from the trigram indexes (name, address, email) and the exact phone index; the
// final order is decided by scoreSearchMatch so that the reasons and the score always agree.
// Confidential requests have no constituent, so they can never surface here.
const SEARCH_SQL = `
  SELECT c.id, c.first_name AS "firstName", c.last_name AS "lastName", c.organization, c.email, c.phone,
         c.address_line1 AS "addressLine1", c.address_line2 AS "addressLine2", c.city, c.state,
         c.postal_code AS "postalCode", c.preferred_language AS "preferredLanguage",
         c.preferred_channel AS "preferredChannel", c.merged_into_id AS "mergedIntoId",
         c.name_key AS "nameKey", c.address_key AS "addressKey", c.created_at AS "createdAt",
         c.updated_at AS "updatedAt", c.version
    FROM constituent c
   WHERE c.merged_into_id IS NULL
     AND ( ($1 <> '' AND c.name_key % $1)
        OR ($1 <> '' AND $1 <% c.name_key)
        OR ($2 <> '' AND c.address_key LIKE $2)
        OR ($1 <> '' AND c.address_key % $1)
        OR ($3 <> '' AND lower(c.email) LIKE $3)
        OR ($4 <> '' AND c.phone = $4)
        OR ($5 <> '' AND c.phone LIKE $5) )
   ORDER BY GREATEST(similarity(c.name_key, $1), word_similarity($1, c.name_key),
                     similarity(c.address_key, $1), CASE WHEN c.phone = $4 THEN 1 ELSE 0 END) DESC
   LIMIT 60`;

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (m) => `\\${m}`);

export async function searchConstituents(
  ds: DataSource,
  viewer: Viewer | null,
  query: string,
  limit = 10,
): Promise<ConstituentMatchResult[]> {
  requireRole(viewer, Rules.readConstituents);
  const q = (query ?? "").normalize("NFC").trim();
  if (q.length < 2) throw badInput("query", "type at least 2 characters");
  if (q.length > 200) throw badInput("query", "must be at most 200 characters");
  if (!Number.isInteger(limit) || limit < 1 || limit > 50)
    throw badInput("limit", "must be between 1 and 50");

  const key = textKey(q);
  const phone = toE164(q) ?? "";
  const digits = q.replace(/\D/g, "");
  const phoneLike = !phone && digits.length >= 7 && /^[\d\s().+-]+$/.test(q) ? `%${digits}` : "";
  const emailLike = q.length >= 3 && /[@.]|^[\w.+-]+$/.test(q) ? `%${likeEscape(q.toLowerCase())}%` : "";
  const addressLike = key.length >= 4 && /\d/.test(key) ? `%${likeEscape(key)}%` : "";
  const nameKey = phone || phoneLike ? "" : key;

  const { rows } = await preparedQuery(ds, {
    name: "star-search-constituents",
    text: SEARCH_SQL,
    values: [nameKey, addressLike, emailLike, phone, phoneLike],
  });
  return hydrate<Constituent[]>(rows)
    .map((constituent) => ({ constituent, ...scoreSearchMatch(q, constituent) }))
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score || a.constituent.id.localeCompare(b.constituent.id))
    .slice(0, limit);
}
