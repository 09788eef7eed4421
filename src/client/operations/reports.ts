import { gql, type TypedDocumentNode } from "@apollo/client";

export interface SlaFigures {
  key: string;
  label: string;
  completed: number;
  underFiveDays: number;
  underFiveDaysShare: number | null;
  onTime: number;
  onTimeShare: number | null;
  medianHours: number | null;
  p90Hours: number | null;
}

export interface BacklogBucket {
  label: string;
  minDays: number;
  maxDays: number | null;
  count: number;
}

export interface DashboardData {
  weekly: { rows: SlaFigures[]; total: SlaFigures; goal: number; rolledThrough: string | null };
  departments: {
    departmentId: string | null;
    rows: SlaFigures[];
    total: SlaFigures;
    backlog: BacklogBucket[];
    definitions: string[];
    computedAt: string;
  };
}

export interface DashboardVariables {
  from: string;
  to: string;
  departmentId?: string | null;
}

const FIGURES = `key label completed underFiveDays underFiveDaysShare onTime onTimeShare medianHours p90Hours`;

/** The dashboard's one request; the benchmark sends the same text. */
export const DASHBOARD_QUERY = `query Dashboard($from: String!, $to: String!, $departmentId: ID) {
  weekly: slaReport(groupBy: WEEK, from: $from, to: $to, departmentId: $departmentId) {
    rows { ${FIGURES} }
    total { ${FIGURES} }
    goal
    rolledThrough
  }
  departments: slaReport(groupBy: DEPARTMENT, from: $from, to: $to, departmentId: $departmentId) {
    departmentId
    rows { ${FIGURES} }
    total { ${FIGURES} }
    backlog { label minDays maxDays count }
    definitions
    computedAt
  }
}`;

export const DASHBOARD: TypedDocumentNode<DashboardData, DashboardVariables> = gql(DASHBOARD_QUERY);

export interface DashboardCategoriesData {
  byCategory: { rows: SlaFigures[] };
  categories: { id: string; department: { id: string; name: string } }[];
}

/** The figures per category, with each category's department to group them by. */
export const DASHBOARD_CATEGORIES: TypedDocumentNode<DashboardCategoriesData, DashboardVariables> = gql(`
  query DashboardCategories($from: String!, $to: String!, $departmentId: ID) {
    byCategory: slaReport(groupBy: CATEGORY, from: $from, to: $to, departmentId: $departmentId) {
      rows { ${FIGURES} }
    }
    categories {
      id
      department {
        id
        name
      }
    }
  }
`);

export type FindingKind =
  "CONFLICTING_ANSWERS" | "DEPARTS_FROM_STANDARD" | "REPEAT_CONTACT" | "TRANSFERRED_OFTEN" | "NO_ACTIVITY";

export interface Finding {
  kind: FindingKind;
  contactId: string;
  referenceNumber: string;
  assignmentId: string | null;
  departmentNames: string[];
  categoryName: string;
  detail: string;
  score: number | null;
  relatedReferenceNumber: string | null;
  at: string;
}

export interface FindingsData {
  consistencyFindings: Finding[];
}

export interface FindingsVariables {
  filter: { from?: string | null; to?: string | null; kinds?: FindingKind[] | null };
}

export const FINDINGS: TypedDocumentNode<FindingsData, FindingsVariables> = gql`
  query ConsistencyFindings($filter: ConsistencyFindingsFilter) {
    consistencyFindings(filter: $filter) {
      kind
      contactId
      referenceNumber
      assignmentId
      departmentNames
      categoryName
      detail
      score
      relatedReferenceNumber
      at
    }
  }
`;
