import { useSession } from "next-auth/react";
import Link from "next/link";
import { mayReadQueue } from "../roles";

/**
 * An assignment's reference number, linked to its page for the roles that may open it; administrators
 * take part in the weekly review but do not read assignments, so they get the number alone.
 */
export function AssignmentLink({
  id,
  referenceNumber,
  className,
}: {
  id: string;
  referenceNumber: string;
  className?: string;
}) {
  const { data: session } = useSession();
  if (!mayReadQueue(session?.user?.role)) return <span className={className}>{referenceNumber}</span>;
  return (
    <Link href={`/assignments/${encodeURIComponent(id)}`} className={className}>
      {referenceNumber}
    </Link>
  );
}
