import { displayName, formatPercent } from "../format";
import type { ConstituentMatch, ConstituentSummary } from "../operations/constituents";
import { ConstituentFacts } from "./constituent-card";

interface MatchListProps {
  matches: ConstituentMatch[];
  onPick: (c: ConstituentSummary) => void;
  pickLabel?: string;
  labelledBy: string;
}

/** Search results or likely duplicates: each with its score and the reasons it matched. */
export function MatchList({ matches, onPick, pickLabel = "Choose", labelledBy }: MatchListProps) {
  return (
    <ul className="match-list" aria-labelledby={labelledBy}>
      {matches.map((m) => {
        const name = displayName(m.constituent);
        return (
          <li key={m.constituent.id} className="match">
            <div className="match__head">
              <span className="match__name">{name}</span>
              <span className="score">
                {formatPercent(m.score)}
                <span className="visually-hidden"> match</span>
              </span>
            </div>
            <ConstituentFacts c={m.constituent} />
            {m.reasons.length ? (
              <p className="reasons">
                <span className="reasons__label">Why: </span>
                {m.reasons.join("; ")}
              </p>
            ) : null}
            <button type="button" className="button button--secondary" onClick={() => onPick(m.constituent)}>
              {pickLabel} <span className="visually-hidden">{name}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
