import { useApolloClient } from "@apollo/client/react";
import { useRef, useState, type FormEvent } from "react";
import { apiProblem } from "../errors";
import {
  SEARCH_CONSTITUENTS,
  type ConstituentMatch,
  type ConstituentSummary,
} from "../operations/constituents";
import { Field } from "./field";
import { MatchList } from "./match-list";

interface ConstituentSearchProps {
  query: string;
  onQueryChange: (q: string) => void;
  onPick: (c: ConstituentSummary) => void;
}

/** Step one: find the existing record before anyone creates a new one. */
export function ConstituentSearch({ query, onQueryChange, onPick }: ConstituentSearchProps) {
  const client = useApolloClient();
  const [matches, setMatches] = useState<ConstituentMatch[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function search(e: FormEvent) {
    e.preventDefault();
    const q = query.trim();
    if (q.length < 2) {
      setError("Type at least 2 characters: a name, a phone number or an email.");
      setMatches(null);
      input.current?.focus();
      return;
    }
    setSearching(true);
    setError(null);
    try {
      const res = await client.query({
        query: SEARCH_CONSTITUENTS,
        variables: { query: q, limit: 10 },
        fetchPolicy: "network-only",
      });
      setMatches(res.data?.searchConstituents ?? []);
    } catch (err) {
      const p = apiProblem(err);
      setError(p.fields.query ?? p.form ?? "The search failed.");
      setMatches(null);
      input.current?.focus();
    } finally {
      setSearching(false);
    }
  }

  return (
    <section aria-labelledby="search-heading">
      <h3 id="search-heading">Search</h3>
      <form role="search" aria-label="Constituents" className="search-form" onSubmit={search} noValidate>
        <Field
          id="constituent-query"
          label="Name, phone or email"
          hint="Spelling does not have to be exact; any phone format works."
          error={error}
        >
          {(a11y) => (
            <input
              {...a11y}
              ref={input}
              type="search"
              autoComplete="off"
              spellCheck={false}
              value={query}
              onChange={(e) => {
                onQueryChange(e.target.value);
                setError(null);
              }}
            />
          )}
        </Field>
        <button type="submit" className="button" disabled={searching}>
          {searching ? "Searching…" : "Search"}
        </button>
      </form>
      <div aria-live="polite" className="search-summary">
        {matches ? (
          <p id="results-heading">
            {matches.length === 0
              ? "No one found. Check the spelling, try the phone number, or add a new constituent."
              : `${matches.length} ${matches.length === 1 ? "person" : "people"} found, best match first.`}
          </p>
        ) : null}
      </div>
      {matches?.length ? <MatchList matches={matches} onPick={onPick} labelledBy="results-heading" /> : null}
    </section>
  );
}
