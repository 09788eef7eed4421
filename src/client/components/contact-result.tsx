import Link from "next/link";
import { useEffect, useRef } from "react";
import { displayName } from "../format";
import type { RecordedContact } from "../operations/contacts";
import { DateTime } from "./date-time";

interface ContactResultProps {
  contact: RecordedContact;
  onAnother: () => void;
  onAnotherForSame: () => void;
}

/** Step three: the reference number the clerk reads back to the person, and where it went. */
export function ContactResult({ contact, onAnother, onAnotherForSame }: ContactResultProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const lead = contact.assignments.find((a) => a.isLead) ?? contact.assignments[0];
  return (
    <section aria-labelledby="result-heading" className="result">
      <h2 id="result-heading" ref={heading} tabIndex={-1}>
        3. Saved
      </h2>
      <div role="status" className="reference-box">
        <p className="reference-box__label">Reference number</p>
        <p className="reference-number" data-testid="reference-number">
          {contact.referenceNumber}
        </p>
        <p>Read it back to the person: they can use it to check the status.</p>
      </div>
      <dl className="facts">
        <div>
          <dt>Category</dt>
          <dd>{contact.category.name}</dd>
        </div>
        <div>
          <dt>Department</dt>
          <dd>{lead?.department.name ?? "—"}</dd>
        </div>
        <div>
          <dt>Due</dt>
          <dd>
            <DateTime value={lead?.dueAt} />
          </dd>
        </div>
        <div>
          <dt>Constituent</dt>
          <dd>
            {contact.constituent ? (
              <Link href={`/constituents/${contact.constituent.id}`}>
                {displayName(contact.constituent)}: open the record
              </Link>
            ) : (
              <span>None: confidential request (no name or address stored)</span>
            )}
          </dd>
        </div>
        {contact.duplicateOf ? (
          <div>
            <dt>Same issue as</dt>
            <dd data-testid="linked-duplicate">
              Linked to {contact.duplicateOf.referenceNumber} (reported by {contact.duplicateOf.reporterCount}{" "}
              {contact.duplicateOf.reporterCount === 1 ? "person" : "people"})
            </dd>
          </div>
        ) : null}
        {contact.attachments.length ? (
          <div>
            <dt>Attached</dt>
            <dd>{contact.attachments.map((a) => a.fileName).join(", ")}</dd>
          </div>
        ) : null}
      </dl>
      <div className="actions">
        <button type="button" className="button" onClick={onAnother}>
          Record another contact
        </button>
        {contact.constituent ? (
          <button type="button" className="button button--secondary" onClick={onAnotherForSame}>
            Another contact for {displayName(contact.constituent)}
          </button>
        ) : null}
      </div>
    </section>
  );
}
