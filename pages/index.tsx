import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Link from "next/link";
import { useSession } from "next-auth/react";
import { authOptions } from "../src/server/auth/auth-options";
import { StaffLayout } from "../src/client/components/staff-layout";
import { label, ROLE_LABELS } from "../src/client/format";
import { mayRecordContacts } from "../src/client/roles";
import { staffPageProps } from "../src/client/session";

export default function Home() {
  const { data: session } = useSession();
  const user = session?.user;
  const mayRecord = mayRecordContacts(user?.role);
  return (
    <StaffLayout title="Home">
      <h1>Welcome{user?.name ? `, ${user.name}` : ""}</h1>
      <p>
        You are signed in as {label(ROLE_LABELS, user?.role)}. Every contact, by phone, letter, email, fax, in
        person or online, is entered where it arrives, so nobody is sent to another door.
      </p>
      <section aria-labelledby="tasks-heading" className="panel">
        <h2 id="tasks-heading">What would you like to do?</h2>
        {mayRecord ? (
          <ul className="task-list">
            <li>
              <Link href="/intake" className="task">
                <span className="task__title">Record a contact</span>
                <span className="task__text">
                  Find the constituent (or add one), enter the request, and give them a reference number.
                </span>
              </Link>
            </li>
          </ul>
        ) : (
          <p>The {label(ROLE_LABELS, user?.role)} role does not record contacts in this portal.</p>
        )}
      </section>
    </StaffLayout>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl }) => {
  const session = await getServerSession(req, res, authOptions());
  return staffPageProps(session, resolvedUrl, {});
};
