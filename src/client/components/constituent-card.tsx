import type { ReactNode } from "react";
import { displayName, formatAddress, formatPhone } from "../format";
import type { ConstituentSummary } from "../operations/constituents";

/** One term of a description list; an empty value reads "none" rather than leaving a gap. */
export function Fact({ term, children }: { term: string; children?: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children || <span className="muted">none</span>}</dd>
    </div>
  );
}

/** Name, phone, email and address: enough to tell two people apart at a glance. */
export function ConstituentFacts({ c }: { c: ConstituentSummary }) {
  const address = formatAddress(c);
  return (
    <dl className="facts">
      <Fact term="Phone">{formatPhone(c.phone)}</Fact>
      <Fact term="Email">{c.email}</Fact>
      <Fact term="Address">{address}</Fact>
    </dl>
  );
}

export function ConstituentName({ c }: { c: ConstituentSummary }) {
  return <span className="constituent-name">{displayName(c)}</span>;
}
