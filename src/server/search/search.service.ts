import type { DataSource } from "typeorm";
import type { Constituent } from "../../../entities";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { badInput } from "../errors/domain-error";
import { hydrate } from "../db/hydrate";
import { pgPool } from "../db/data-source";
import { toE164 } from "../intake/phone";
import { scoreSearchMatch, type Match } from "./match-scoring";
import { textKey } from "./text-key";

export interface ConstituentMatchResult extends Match {
  constituent: Constituent;
}

const COLUMNS = `c.id, c.first_name AS "firstName", c.last_name AS "lastName", c.organization, c.email, c.phone,
  c.address_line1 AS "addressLine1", c.address_line2 AS "addressLine2", c.city, c.state,
  c.postal_code AS "postalCode", c.preferred_language AS "preferredLanguage",
  c.preferred_channel AS "preferredChannel", c.merged_into_id AS "mergedIntoId",
  c.name_key AS "nameKey", c.address_key AS "addressKey", c.created_at AS "createdAt",
  c.updated_at AS "updatedAt", c.version`;

/** Rows ranked by scoreSearchMatch: enough that the best ten by its score are among them. */
const CANDIDATES = 60;

interface Probe {
  sql: string;
  /** How well a row matches this probe: the CANDIDATES best of all probes are ranked by scoreSearchMatch. */
  rank: string;
  value: string;
}

/**
 * Candidates come from the trigram indexes (name, address, email) and the exact phone index, asking only
 * the indexes that what was typed can match (a phone number is never compared with names); the final
 * order is decided by scoreSearchMatch so that the reasons and the score always agree. Confidential
 * requests have no constituent, so they can never surface here.
 *
 * Each probe is its own branch, ranked by its own measure: one WHERE with every probe OR-ed re-tests
 * all of them, and ranks by all of them, on each row any index offers (3,300 rows for a common misspelt
 * name: 36 ms against 12). A row's rank is the best its probes give it.
 */
function candidateQuery(probes: Probe[]): { text: string; values: string[] } {
  const at = (sql: string, i: number) => sql.replaceAll("$?", `$${i + 1}`);
  const branches = probes.map(
    (p, i) => `(SELECT c.id, ${at(p.rank, i)} AS r FROM constituent c
      WHERE c.merged_into_id IS NULL AND ${at(p.sql, i)} ORDER BY r DESC LIMIT ${CANDIDATES})`,
  );
  const text = `SELECT ${COLUMNS} FROM (
      SELECT id, max(r) AS r FROM (${branches.join(" UNION ALL ")}) b GROUP BY id ORDER BY r DESC LIMIT ${CANDIDATES}
    ) best JOIN constituent c ON c.id = best.id`;
  return { text, values: probes.map((p) => p.value) };
}

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
  const phone = toE164(q);
  const digits = q.replace(/\D/g, "");
  const probes: Probe[] = [];
  if (phone)
    probes.push({ sql: "c.phone = $?", rank: "CASE WHEN c.phone = $? THEN 1 ELSE 0 END", value: phone });
  else if (digits.length >= 7 && /^[\d\s().+-]+$/.test(q)) {
    probes.push({
      sql: "c.phone LIKE $?",
      rank: "CASE WHEN c.phone LIKE $? THEN 0.8 ELSE 0 END",
      value: `%${digits}`,
    });
  } else {
    if (/[@.]/.test(q) && !/\s/.test(q)) {
      probes.push({
        sql: "lower(c.email) LIKE $?",
        rank: "CASE WHEN lower(c.email) LIKE $? THEN 0.7 ELSE 0 END",
        value: `%${likeEscape(q.toLowerCase())}%`,
      });
    }
    if (!q.includes("@")) {
      probes.push(
        { sql: "c.name_key % $?", rank: "similarity(c.name_key, $?)", value: key },
        { sql: "$? <% c.name_key", rank: "word_similarity($?, c.name_key)", value: key },
      );
      // Addresses have a number or at least two words ("Roosevelt St"); one bare word is a name.
      if (/\d/.test(key) || key.includes(" ")) {
        probes.push(
          {
            sql: "c.address_key LIKE $?",
            rank: "CASE WHEN c.address_key LIKE $? THEN 0.6 ELSE 0 END",
            value: `%${likeEscape(key)}%`,
          },
          { sql: "c.address_key % $?", rank: "similarity(c.address_key, $?)", value: key },
        );
      }
    }
  }
  // Planned for each search's own values, never as a named statement: a generic plan cannot tell that
  // `name_key % $1` is selective and scans the whole table (450 ms on 100k constituents, against 20).
  const candidates = candidateQuery(probes);
  const { rows } = await pgPool(ds).query(candidates.text, candidates.values);
  return hydrate<Constituent[]>(rows)
    .map((constituent) => ({ constituent, ...scoreSearchMatch(q, constituent) }))
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score || a.constituent.id.localeCompare(b.constituent.id))
    .slice(0, limit);
}
