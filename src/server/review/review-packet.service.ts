import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { In, type DataSource } from "typeorm";
import { ReviewCycle, ReviewMark, ReviewMarkKind, Role } from "../../../entities";
import { Rules, requireRole, type Viewer } from "../auth/viewer";
import { config } from "../config/config";
import { toWinAnsi, wrapText } from "../letters/letter.service";
import { addDays, localDate, type PlainDate } from "../routing/business-days";
import { FindingKind, consistencyFindings, type ConsistencyFinding } from "./consistency.service";
import { FINDING_KIND_LABELS, figureText, percent } from "./packet-text";
import { FIVE_DAY_GOAL, SlaGroupBy, slaReport, type SlaFigures } from "./sla-report.service";
import {
  AGING_BUCKETS,
  MARK_KIND_LABELS,
  MAX_REVIEW_PAGE,
  cycleProgress,
  findOpenCycle,
  reviewQueue,
  weekStartOf,
  type ReviewItem,
  type ReviewQueueFilterCommand,
} from "./review.service";

/** Longest lists in one packet; the worklist has them all. */
const PACKET_MAX_CONCERNS = 500;
const PACKET_MAX_LONGEST = 50;
/** Rows in one CSV export; more than any city's open work, so a runaway export stays bounded. */
const CSV_MAX_ROWS = 200_000;

export interface PacketConcern {
  markId: string;
  assignmentId: string;
  referenceNumber: string;
  departmentName: string;
  categoryName: string;
  kind: ReviewMarkKind;
  note: string | null;
  markedAt: Date;
  weekStart: string;
  resolvedAt: Date | null;
  resolutionNote: string | null;
}

export interface PacketDepartment {
  departmentId: string;
  departmentName: string;
  open: number;
  overdue: number;
  reviewed: number;
  openConcerns: number;
}

export interface PacketLongest {
  assignmentId: string;
  referenceNumber: string;
  departmentName: string;
  categoryName: string;
  ageDays: number;
  dueAt: Date;
  responseCount: number;
}

/** Last week's five-day figure, city-wide and per department. */
export interface PacketFiveDay {
  from: PlainDate;
  to: PlainDate;
  goal: number;
  city: SlaFigures;
  departments: SlaFigures[];
}

/** The consistency findings of the last seven days, counted by kind, with the first of each. */
export interface PacketFindings {
  from: PlainDate;
  to: PlainDate;
  counts: { kind: FindingKind; label: string; count: number; more: boolean }[];
  items: ConsistencyFinding[];
}

/** The weekly review packet: the figures, the concerns and what has waited longest. */
export interface ReviewPacket {
  cityName: string;
  timeZone: string;
  generatedAt: Date;
  weekStart: string;
  cycle: { id: string; status: string; reviewed: number; total: number } | null;
  open: number;
  overdue: number;
  byBucket: { label: string; count: number }[];
  departments: PacketDepartment[];
  /** Unresolved concerns from any cycle, then this cycle's resolved ones. */
  concerns: PacketConcern[];
  longestWaiting: PacketLongest[];
  fiveDay: PacketFiveDay;
  /** Null for a reader the findings are not for (analysts read the figures, not the findings). */
  findings: PacketFindings | null;
}

/** Findings listed per kind in a packet; the findings page has them all. */
const PACKET_FINDINGS_PER_KIND = 25;

/** Who the Monday job reads as: the City Manager's Office, through the same rules as a reviewer. */
const PACKET_READER: Viewer = {
  id: "00000000-0000-0000-0000-000000000000",
  email: "review-packet@star.local",
  name: "The weekly review packet",
  role: Role.REVIEWER,
  departmentId: null,
  readOnly: true,
};

export async function buildReviewPacket(
  ds: DataSource,
  viewer: Viewer | null,
  now = new Date(),
): Promise<ReviewPacket> {
  const v = requireRole(viewer, Rules.readReviews);
  return preparePacket(ds, now, v);
}

/** The packet as the Monday job prepares it: by default it reads as the City Manager's Office. */
export async function preparePacket(
  ds: DataSource,
  now = new Date(),
  reader: Viewer = PACKET_READER,
): Promise<ReviewPacket> {
  const cfg = config();
  const tz = cfg.STAR_TIME_ZONE;
  // The open cycle, else this week's closed one, so a packet prepared after closing still has its marks.
  const cycle: ReviewCycle | null =
    (await findOpenCycle(ds)) ??
    (await ds.getRepository(ReviewCycle).findOne({
      where: { weekStart: weekStartOf(now, tz) },
      order: { startedAt: "DESC" },
    }));
  const [departments, buckets, concerns, longest] = await Promise.all([
    ds.query(
      `SELECT d.id AS "departmentId", d.name AS "departmentName", count(*)::int AS open,
              count(*) FILTER (WHERE a.due_at < $2)::int AS overdue,
              count(cm.id)::int AS reviewed,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM review_mark fm WHERE fm.assignment_id = a.id
                AND fm.kind <> 'OK' AND fm.resolved_at IS NULL))::int AS "openConcerns"
         FROM assignment a JOIN department d ON d.id = a.department_id
         LEFT JOIN review_mark cm ON cm.cycle_id = $1::uuid AND cm.assignment_id = a.id
        WHERE a.status IN ('OPEN','IN_PROGRESS')
        GROUP BY d.id, d.name ORDER BY d.name, d.id`,
      [cycle?.id ?? null, now],
    ) as Promise<PacketDepartment[]>,
    ds.query(
      `SELECT ((($2::timestamptz) AT TIME ZONE $1::text)::date - (a.assigned_at AT TIME ZONE $1::text)::date)::int AS age,
              count(*)::int AS n
         FROM assignment a WHERE a.status IN ('OPEN','IN_PROGRESS') GROUP BY 1`,
      [tz, now],
    ) as Promise<{ age: number; n: number }[]>,
    ds.query(
      `SELECT m.id AS "markId", a.id AS "assignmentId", c.reference_number AS "referenceNumber",
              d.name AS "departmentName", cat.name AS "categoryName", m.kind, m.note, m.marked_at AS "markedAt",
              rc.week_start::text AS "weekStart", m.resolved_at AS "resolvedAt", m.resolution_note AS "resolutionNote"
         FROM review_mark m
         JOIN review_cycle rc ON rc.id = m.cycle_id
         JOIN assignment a ON a.id = m.assignment_id
         JOIN contact c ON c.id = a.contact_id
         JOIN category cat ON cat.id = c.category_id
         JOIN department d ON d.id = a.department_id
        WHERE m.kind <> 'OK' AND (m.resolved_at IS NULL OR m.cycle_id = $1::uuid)
        ORDER BY (m.resolved_at IS NOT NULL), d.name, m.marked_at, m.id
        LIMIT ${PACKET_MAX_CONCERNS}`,
      [cycle?.id ?? null],
    ) as Promise<PacketConcern[]>,
    ds.query(
      `SELECT a.id AS "assignmentId", c.reference_number AS "referenceNumber", d.name AS "departmentName",
              cat.name AS "categoryName", a.due_at AS "dueAt",
              ((($2::timestamptz) AT TIME ZONE $1::text)::date - (a.assigned_at AT TIME ZONE $1::text)::date)::int AS "ageDays",
              (SELECT count(*)::int FROM response r WHERE r.assignment_id = a.id) AS "responseCount"
         FROM assignment a
         JOIN contact c ON c.id = a.contact_id
         JOIN category cat ON cat.id = c.category_id
         JOIN department d ON d.id = a.department_id
        WHERE a.status IN ('OPEN','IN_PROGRESS')
        ORDER BY a.assigned_at, a.id LIMIT ${PACKET_MAX_LONGEST}`,
      [tz, now],
    ) as Promise<PacketLongest[]>,
  ]);
  const progress = cycle ? await cycleProgress(ds, cycle) : null;
  const weekStart = cycle?.weekStart ?? weekStartOf(now, tz);
  const [fiveDay, findings] = await Promise.all([
    lastWeekFigures(ds, reader, weekStart, now),
    (Rules.readConsistencyFindings as readonly Role[]).includes(reader.role)
      ? recentFindings(ds, reader, now)
      : null,
  ]);
  return {
    cityName: cfg.STAR_CITY_NAME,
    timeZone: tz,
    generatedAt: now,
    weekStart,
    cycle: cycle && progress ? { id: cycle.id, status: cycle.status, ...progress } : null,
    open: departments.reduce((n, d) => n + d.open, 0),
    overdue: departments.reduce((n, d) => n + d.overdue, 0),
    byBucket: AGING_BUCKETS.map((b) => ({
      label: b.label,
      count: buckets
        .filter((r) => r.age >= b.min && (b.max == null || r.age <= b.max))
        .reduce((n, r) => n + r.n, 0),
    })),
    departments,
    concerns,
    longestWaiting: longest,
    fiveDay,
    findings,
  };
}

/** The week before the review's week, Monday to Sunday. */
async function lastWeekFigures(
  ds: DataSource,
  reader: Viewer,
  weekStart: PlainDate,
  now: Date,
): Promise<PacketFiveDay> {
  const from = addDays(weekStart, -7);
  const to = addDays(weekStart, -1);
  const r = await slaReport(ds, reader, { groupBy: SlaGroupBy.DEPARTMENT, from, to, now });
  return { from, to, goal: FIVE_DAY_GOAL, city: r.total, departments: r.rows };
}

async function recentFindings(ds: DataSource, reader: Viewer, now: Date): Promise<PacketFindings> {
  const tz = config().STAR_TIME_ZONE;
  const to = localDate(now, tz);
  const from = addDays(to, -6);
  // One more than listed, to say when there are more.
  const all = await consistencyFindings(ds, reader, { from, to, now, limit: PACKET_FINDINGS_PER_KIND + 1 });
  const counts = Object.values(FindingKind).map((kind) => {
    const n = all.filter((f) => f.kind === kind).length;
    return {
      kind,
      label: FINDING_KIND_LABELS[kind],
      count: Math.min(n, PACKET_FINDINGS_PER_KIND),
      more: n > PACKET_FINDINGS_PER_KIND,
    };
  });
  const items = Object.values(FindingKind).flatMap((kind) =>
    all.filter((f) => f.kind === kind).slice(0, PACKET_FINDINGS_PER_KIND),
  );
  return { from, to, counts, items };
}

export function formatLocal(at: Date | string | null, timeZone: string, withTime = true): string {
  if (at == null) return "";
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
    ...(withTime ? { hour: "numeric", minute: "2-digit" } : {}),
  })
    .format(new Date(at))
    .replace(/\u202f/g, " ");
}

// A spreadsheet runs a cell that starts with one of these as a formula.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  let s = value == null ? "" : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const CSV_HEADER = [
  "Department",
  "Reference",
  "Category",
  "Status",
  "Assignee",
  "Assigned",
  "Due",
  "Age (calendar days)",
  "Aging bucket",
  "Overdue",
  "Responses and notes",
  "Last activity",
  "Open concerns",
  "Mark this week",
  "Mark note",
  "Resolved",
  "Resolution note",
];

/** The worklist (with the same filter as the page) as CSV lines, page by page. */
export async function* worklistCsv(
  ds: DataSource,
  viewer: Viewer | null,
  filter: ReviewQueueFilterCommand | null,
): AsyncGenerator<string> {
  requireRole(viewer, Rules.readReviews);
  const tz = config().STAR_TIME_ZONE;
  const bucketLabel = new Map(AGING_BUCKETS.map((b) => [b.bucket, b.label]));
  yield `${CSV_HEADER.map(csvCell).join(",")}\r\n`;
  let after: string | null = null;
  let rows = 0;
  do {
    const page = await reviewQueue(ds, viewer, { filter, first: MAX_REVIEW_PAGE, after });
    const items: ReviewItem[] = page.edges.map((e) => e.node);
    const markIds = items.map((i) => i.markId).filter((id): id is string => !!id);
    const marks = markIds.length ? await ds.getRepository(ReviewMark).findBy({ id: In(markIds) }) : [];
    const byId = new Map(marks.map((m) => [m.id, m]));
    let out = "";
    for (const i of items) {
      const m = i.markId ? byId.get(i.markId) : undefined;
      out += `${[
        i.departmentName,
        i.referenceNumber,
        i.categoryName,
        i.status,
        i.assigneeName,
        formatLocal(i.assignedAt, tz),
        formatLocal(i.dueAt, tz),
        i.ageDays,
        bucketLabel.get(i.agingBucket),
        i.overdue ? "yes" : "no",
        i.responseCount,
        formatLocal(i.lastActivityAt, tz),
        i.openConcerns,
        m ? MARK_KIND_LABELS[m.kind] : "",
        m?.note,
        formatLocal(m?.resolvedAt ?? null, tz),
        m?.resolutionNote,
      ]
        .map(csvCell)
        .join(",")}\r\n`;
    }
    yield out;
    rows += items.length;
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after && rows < CSV_MAX_ROWS);
}

const PAGE: [number, number] = [612, 792]; // US Letter, in points
const MARGIN = 54;
const INK = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.35, 0.35, 0.35);

/** The packet as a PDF: summary, five-day figure, findings, departments, concerns, longest waiting. */
export async function renderPacketPdf(packet: ReviewPacket): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const title = toWinAnsi(`${packet.cityName}: weekly review packet, week of ${packet.weekStart}`);
  doc.setTitle(title);
  doc.setCreator("STAR");
  doc.setProducer("STAR");
  doc.setCreationDate(packet.generatedAt);
  doc.setModificationDate(packet.generatedAt);
  const width = PAGE[0] - 2 * MARGIN;
  let page: PDFPage = doc.addPage(PAGE);
  let y = PAGE[1] - MARGIN;
  const line = (
    text: string,
    opts: { font?: PDFFont; size?: number; color?: typeof INK; indent?: number } = {},
  ) => {
    const font = opts.font ?? regular;
    const size = opts.size ?? 10;
    const indent = opts.indent ?? 0;
    for (const l of wrapText(toWinAnsi(text), font, size, width - indent)) {
      if (y < MARGIN + size) {
        page = doc.addPage(PAGE);
        y = PAGE[1] - MARGIN;
        page.drawText(title, { x: MARGIN, y, size: 8, font: regular, color: MUTED });
        y -= 20;
      }
      page.drawText(l, { x: MARGIN + indent, y, size, font, color: opts.color ?? INK });
      y -= size * 1.4;
    }
  };
  const gap = (n = 8) => {
    y -= n;
  };
  const tz = packet.timeZone;
  line(title, { font: bold, size: 15 });
  line(`Prepared ${formatLocal(packet.generatedAt, tz)} (${tz}). Ages are calendar days since assigned.`, {
    color: MUTED,
  });
  gap();
  line(
    packet.cycle
      ? `Review ${packet.cycle.status.toLowerCase()}: ${packet.cycle.reviewed} of ${packet.cycle.total} open assignments reviewed.`
      : "No review cycle is open for this week yet.",
  );
  line(`Open assignments: ${packet.open}; overdue: ${packet.overdue}.`);
  line(`By age: ${packet.byBucket.map((b) => `${b.label} ${b.count}`).join("; ")}.`);
  gap();
  const f = packet.fiveDay;
  line(`Completed in under five days, ${f.from} to ${f.to} (goal ${percent(f.goal)})`, {
    font: bold,
    size: 12,
  });
  line(`City-wide: ${figureText(f.city)}`, { indent: 10 });
  for (const d of f.departments) line(`${d.label}: ${figureText(d)}`, { indent: 10 });
  gap();
  if (packet.findings) {
    const k = packet.findings;
    line(`Consistency findings, ${k.from} to ${k.to}`, { font: bold, size: 12 });
    line(k.counts.map((c) => `${c.label} ${c.count}${c.more ? "+" : ""}`).join("; "), { indent: 10 });
    for (const item of k.items) {
      line(
        `${item.referenceNumber} (${item.departmentNames.join(", ")}, ${item.categoryName}): ${FINDING_KIND_LABELS[item.kind]}. ${item.detail}`,
        { indent: 10 },
      );
    }
    gap();
  }
  line("Departments", { font: bold, size: 12 });
  for (const d of packet.departments) {
    line(
      `${d.departmentName}: ${d.open} open, ${d.overdue} overdue, ${d.reviewed} reviewed, ${d.openConcerns} with open concerns`,
      { indent: 10 },
    );
  }
  if (!packet.departments.length) line("No open assignments.", { indent: 10 });
  gap();
  line("Concerns", { font: bold, size: 12 });
  for (const c of packet.concerns) {
    const state = c.resolvedAt
      ? `resolved ${formatLocal(c.resolvedAt, tz)}: ${c.resolutionNote ?? ""}`
      : "awaiting the department";
    line(`${c.referenceNumber} (${c.departmentName}, ${c.categoryName}): ${MARK_KIND_LABELS[c.kind]}`, {
      font: bold,
      indent: 10,
    });
    line(`${c.note ?? ""} (week of ${c.weekStart}; ${state})`, { indent: 20 });
  }
  if (!packet.concerns.length) line("No open concerns.", { indent: 10 });
  gap();
  line("Waiting longest", { font: bold, size: 12 });
  for (const l of packet.longestWaiting) {
    line(
      `${l.referenceNumber} (${l.departmentName}, ${l.categoryName}): ${l.ageDays} days, due ${formatLocal(l.dueAt, tz, false)}, ${l.responseCount} responses or notes`,
      { indent: 10 },
    );
  }
  return doc.save();
}
