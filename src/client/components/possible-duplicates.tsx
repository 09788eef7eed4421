import { useQuery } from "@apollo/client/react";
import { useEffect, useMemo, useState } from "react";
import { label, STATUS_LABELS } from "../format";
import { POSSIBLE_DUPLICATES } from "../operations/contacts";
import { DateTime } from "./date-time";

const DEBOUNCE_MS = 400;
const MIN_ADDRESS = 4;
const EXCERPT = 140;

interface PossibleDuplicatesProps {
  categoryId: string;
  locationAddress: string;
  chosenId: string | null;
  onChoose: (id: string | null) => void;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT - 1).trimEnd()}…` : flat;
}

/** Open contacts in the same category at the same place, offered while the clerk types the location. */
export function PossibleDuplicates({
  categoryId,
  locationAddress,
  chosenId,
  onChoose,
}: PossibleDuplicatesProps) {
  const [asked, setAsked] = useState({ categoryId, address: locationAddress.trim() });
  useEffect(() => {
    // Ask once the clerk pauses, not on every keystroke.
    const t = setTimeout(() => setAsked({ categoryId, address: locationAddress.trim() }), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [categoryId, locationAddress]);

  const skip = !asked.categoryId || asked.address.length < MIN_ADDRESS;
  const { data } = useQuery(POSSIBLE_DUPLICATES, {
    variables: { categoryId: asked.categoryId, locationAddress: asked.address },
    skip,
    fetchPolicy: "network-only",
  });
  const offered = useMemo(() => (skip ? [] : (data?.possibleDuplicateContacts ?? [])), [skip, data]);

  useEffect(() => {
    // A choice made for another place or category no longer applies.
    if (chosenId && data && !offered.some((c) => c.id === chosenId)) onChoose(null);
  }, [chosenId, data, offered, onChoose]);

  return (
    <div className="possible-duplicates-region">
      <p className="visually-hidden" aria-live="polite">
        {offered.length
          ? `${offered.length} open contact${offered.length === 1 ? "" : "s"} in this category at this place.`
          : ""}
      </p>
      {offered.length ? (
        <fieldset className="duplicates possible-duplicates" aria-describedby="duplicateOfId-hint">
          <legend>This may already be reported</legend>
          <p id="duplicateOfId-hint" className="hint">
            Open contacts in the same category at or near this place. If the person is reporting the same
            issue, choose it: the department answering that one answers this person too.
          </p>
          <ul className="match-list possible-duplicates__list">
            {offered.map((c) => (
              <li key={c.id} className="match possible-duplicate">
                <div className="checkbox">
                  <input
                    type="radio"
                    id={`duplicate-${c.id}`}
                    name="duplicateOfId"
                    value={c.id}
                    checked={chosenId === c.id}
                    aria-describedby={`duplicate-${c.id}-facts`}
                    onChange={() => onChoose(c.id)}
                  />
                  <label htmlFor={`duplicate-${c.id}`}>Same issue as {c.referenceNumber}</label>
                </div>
                <p id={`duplicate-${c.id}-facts`} className="possible-duplicate__facts">
                  <span>
                    Received <DateTime value={c.receivedAt} />
                  </span>
                  {" · "}
                  <span>{label(STATUS_LABELS, c.status)}</span>
                  {c.locationAddress ? <span>{` · ${c.locationAddress}`}</span> : null}
                  <br />
                  <span className="muted">{excerpt(c.description)}</span>
                </p>
              </li>
            ))}
            <li className="match possible-duplicate">
              <div className="checkbox">
                <input
                  type="radio"
                  id="duplicate-none"
                  name="duplicateOfId"
                  value=""
                  checked={!chosenId}
                  onChange={() => onChoose(null)}
                />
                <label htmlFor="duplicate-none">None of these: a new issue</label>
              </div>
            </li>
          </ul>
        </fieldset>
      ) : null}
    </div>
  );
}
