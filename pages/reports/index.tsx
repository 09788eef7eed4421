import { useQuery } from "@apollo/client/react";
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth/next";
import Link from "next/link";
import { useRouter } from "next/router";
import { useSession } from "next-auth/react";
import { authOptions } from "../../src/server/auth/auth-options";
import { ChartBars } from "../../src/client/components/chart-bars";
import { ChartLine } from "../../src/client/components/chart-line";
import { StaffLayout } from "../../src/client/components/staff-layout";
import { apiProblem } from "../../src/client/errors";
import { DEPARTMENTS } from "../../src/client/operations/assignments";
import {
  DASHBOARD,
  DASHBOARD_CATEGORIES,
  type DashboardCategoriesData,
  type SlaFigures,
} from "../../src/client/operations/reports";
import { mayReadReports, mayReview } from "../../src/client/roles";
import { firstQueryValue, staffPageProps } from "../../src/client/session";
import { toCityDateInput } from "../../src/client/time";

const PERIODS = [4, 12, 26, 52];

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const pct = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(1)}%`);

function hours(h: number | null): string {
  if (h === null) return "–";
  return h < 48 ? `${h} h` : `${h} h (${(h / 24).toFixed(1)} days)`;
}

function FiguresTable({ caption, first, rows }: { caption: string; first: string; rows: SlaFigures[] }) {
  return (
    <div className="table-wrap">
      <table className="queue-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col">Completed</th>
            <th scope="col">Under five days</th>
            <th scope="col">Share under five days</th>
            <th scope="col">On time (SLA)</th>
            <th scope="col">Median time</th>
            <th scope="col">90th percentile</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              <td>{r.completed.toLocaleString("en-US")}</td>
              <td>{r.underFiveDays.toLocaleString("en-US")}</td>
              <td>{pct(r.underFiveDaysShare)}</td>
              <td>{pct(r.onTimeShare)}</td>
              <td>{hours(r.medianHours)}</td>
              <td>{hours(r.p90Hours)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The figures per category under a heading row per department, departments and categories by name. */
function CategoryTable({ data }: { data: DashboardCategoriesData }) {
  const departmentOf = new Map(data.categories.map((c) => [c.id, c.department.name]));
  const groups = new Map<string, SlaFigures[]>();
  for (const r of data.byCategory.rows) {
    const d = departmentOf.get(r.key) ?? "Inactive categories";
    groups.set(d, [...(groups.get(d) ?? []), r]);
  }
  const departments = [...groups.keys()].sort((a, b) => a.localeCompare(b));
  return (
    <div className="table-wrap">
      <table className="queue-table">
        <caption>The figures by category, grouped by department</caption>
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col">Completed</th>
            <th scope="col">Under five days</th>
            <th scope="col">Share under five days</th>
            <th scope="col">On time (SLA)</th>
            <th scope="col">Median time</th>
            <th scope="col">90th percentile</th>
          </tr>
        </thead>
        {departments.map((d) => (
          <tbody key={d}>
            <tr>
              <th scope="rowgroup" colSpan={7}>
                {d}
              </th>
            </tr>
            {groups.get(d)!.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                <td>{r.completed.toLocaleString("en-US")}</td>
                <td>{r.underFiveDays.toLocaleString("en-US")}</td>
                <td>{pct(r.underFiveDaysShare)}</td>
                <td>{pct(r.onTimeShare)}</td>
                <td>{hours(r.medianHours)}</td>
                <td>{hours(r.p90Hours)}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

export default function ReportsPage() {
  const router = useRouter();
  const { data: session } = useSession();
  const user = session?.user;
  const cityWide = !!user && user.role !== "DEPARTMENT";
  const weeks = PERIODS.find((p) => String(p) === firstQueryValue(router.query.weeks)) ?? 12;
  const department = cityWide ? firstQueryValue(router.query.department) : null;
  const to = toCityDateInput(new Date());
  const from = addDays(to, -(weeks * 7 - 1));
  const allowed = !!user && mayReadReports(user.role);
  const report = useQuery(DASHBOARD, {
    variables: { from, to, departmentId: department },
    skip: !allowed,
    fetchPolicy: "cache-and-network",
  });
  const departments = useQuery(DEPARTMENTS, { skip: !allowed || !cityWide });
  const byCategory = useQuery(DASHBOARD_CATEGORIES, {
    variables: { from, to, departmentId: department },
    skip: !allowed,
    fetchPolicy: "cache-and-network",
  });

  if (user && !allowed) {
    return (
      <StaffLayout title="Reports">
        <h1>Reports</h1>
        <p className="notice notice--warning">
          Reports are for the City Manager&apos;s Office, departments, analysts and administrators.{" "}
          <Link href="/">Back to the start page</Link>
        </p>
      </StaffLayout>
    );
  }

  const setQuery = (q: Record<string, string>) =>
    void router.replace({ pathname: "/reports", query: { ...router.query, ...q } }, undefined, {
      shallow: true,
    });
  const data = report.data;
  const total = data?.departments.total;
  const goal = data?.weekly.goal ?? 0.95;
  const csv = (groupBy: string) =>
    `/api/reports/figures.csv?${new URLSearchParams({
      groupBy,
      from,
      to,
      ...(department ? { departmentId: department } : {}),
    }).toString()}`;

  return (
    <StaffLayout title="Five-day figure">
      <h1>The five-day figure</h1>
      <p>
        Completions from {from} to {to} ({weeks} weeks){department ? ", one department" : ""}.{" "}
        {user && mayReview(user.role) ? <Link href="/reports/findings">Consistency findings</Link> : null}
      </p>
      <form className="search-form" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="weeks">Period</label>
          <select id="weeks" value={weeks} onChange={(e) => setQuery({ weeks: e.target.value })}>
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                Last {p} weeks
              </option>
            ))}
          </select>
        </div>
        {cityWide ? (
          <div className="field">
            <label htmlFor="department">Department</label>
            <select
              id="department"
              value={department ?? ""}
              onChange={(e) => setQuery({ department: e.target.value })}
            >
              <option value="">City-wide</option>
              {departments.data?.departments.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </form>

      {report.error ? (
        <p className="notice notice--warning" role="alert">
          {apiProblem(report.error).form ?? "The figures could not be loaded."}
        </p>
      ) : null}
      {!data ? (
        <p role="status">Loading the figures…</p>
      ) : (
        <>
          <section className="panel" aria-labelledby="headline">
            <h2 id="headline">
              {pct(total!.underFiveDaysShare)} completed in under five days (goal {pct(goal)})
            </h2>
            <dl className="facts">
              <div>
                <dt>Completed</dt>
                <dd>{total!.completed.toLocaleString("en-US")}</dd>
              </div>
              <div>
                <dt>Under five days</dt>
                <dd>{total!.underFiveDays.toLocaleString("en-US")}</dd>
              </div>
              <div>
                <dt>On time (category SLA)</dt>
                <dd>{pct(total!.onTimeShare)}</dd>
              </div>
              <div>
                <dt>Median time to complete</dt>
                <dd>{hours(total!.medianHours)}</dd>
              </div>
              <div>
                <dt>90th percentile</dt>
                <dd>{hours(total!.p90Hours)}</dd>
              </div>
            </dl>
          </section>

          <section className="panel" aria-labelledby="weekly">
            <h2 id="weekly">Week by week</h2>
            <ChartLine
              title="Share completed in under five days, by week"
              desc={`A line per week against the ${pct(goal)} goal. ${data.weekly.rows
                .map((w) => `${w.label}: ${pct(w.underFiveDaysShare)}`)
                .join("; ")}.`}
              goal={goal}
              points={data.weekly.rows.map((w) => ({ label: w.key.slice(5), value: w.underFiveDaysShare }))}
            />
            <FiguresTable caption="The figures by week" first="Week" rows={data.weekly.rows} />
          </section>

          <section className="panel" aria-labelledby="by-department">
            <h2 id="by-department">By department</h2>
            <ChartBars
              title="Share completed in under five days, by department"
              desc={`One bar per department, the goal of ${pct(goal)} as a line. ${data.departments.rows
                .map((d) => `${d.label}: ${pct(d.underFiveDaysShare)}`)
                .join("; ")}.`}
              max={1}
              goal={goal}
              bars={data.departments.rows.map((d) => ({
                label: d.label,
                value: d.underFiveDaysShare ?? 0,
                text: pct(d.underFiveDaysShare),
              }))}
            />
            <FiguresTable
              caption="The figures by department"
              first="Department"
              rows={data.departments.rows}
            />
          </section>

          <section className="panel" aria-labelledby="by-category">
            <h2 id="by-category">By category</h2>
            {byCategory.data ? (
              <CategoryTable data={byCategory.data} />
            ) : byCategory.error ? (
              <p className="notice notice--warning" role="alert">
                The figures by category could not be loaded.
              </p>
            ) : (
              <p role="status">Loading the figures by category…</p>
            )}
          </section>

          <section className="panel" aria-labelledby="backlog">
            <h2 id="backlog">Open backlog by age</h2>
            <ChartBars
              title="Open assignments by time since they were first assigned"
              desc={data.departments.backlog.map((b) => `${b.label}: ${b.count}`).join("; ")}
              max={Math.max(1, ...data.departments.backlog.map((b) => b.count))}
              bars={data.departments.backlog.map((b) => ({
                label: b.label,
                value: b.count,
                text: b.count.toLocaleString("en-US"),
              }))}
            />
            <div className="table-wrap">
              <table className="queue-table">
                <caption>Open backlog by age</caption>
                <thead>
                  <tr>
                    <th scope="col">Age</th>
                    <th scope="col">Open assignments</th>
                  </tr>
                </thead>
                <tbody>
                  {data.departments.backlog.map((b) => (
                    <tr key={b.label}>
                      <th scope="row">{b.label}</th>
                      <td>{b.count.toLocaleString("en-US")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section className="panel" aria-labelledby="definitions">
            <h2 id="definitions">What the figures count</h2>
            <ul className="prose">
              {data.departments.definitions.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          </section>

          <section className="panel" aria-labelledby="export">
            <h2 id="export">Export</h2>
            <ul>
              <li>
                <a href={csv("DEPARTMENT")}>CSV by department</a>
              </li>
              <li>
                <a href={csv("CATEGORY")}>CSV by category</a>
              </li>
              <li>
                <a href={csv("WEEK")}>CSV by week</a>
              </li>
              <li>
                <a href={csv("MONTH")}>CSV by month</a>
              </li>
            </ul>
          </section>
        </>
      )}
    </StaffLayout>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ req, res, resolvedUrl }) => {
  const session = await getServerSession(req, res, authOptions());
  return staffPageProps(session, resolvedUrl, {});
};
