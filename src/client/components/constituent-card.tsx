import { displayName, formatAddress, formatPhone } from "../format";
import type { ConstituentSummary } from "../operations/constituents";

/** Name, phone, email and address: enough to tell two people apart at a glance. */
export function ConstituentFacts({ c }: { c: ConstituentSummary }) {
  const address = formatAddress(c);
  return (
    <dl className="facts">
      <div>
        <dt>Phone</dt>
        <dd>{formatPhone(c.phone) || <span className="muted">none</span>}</dd>
      </div>
      <div>
        <dt>Email</dt>
        <dd>{c.email || <span className="muted">none</span>}</dd>
      </div>
      <div>
        <dt>Address</dt>
        <dd>{address || <span className="muted">none</span>}</dd>
      </div>
    </dl>
  );
}

export function ConstituentName({ c }: { c: ConstituentSummary }) {
  return <span className="constituent-name">{displayName(c)}</span>;
}
