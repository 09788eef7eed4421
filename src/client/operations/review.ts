import { gql, type TypedDocumentNode } from "@apollo/client";

export type ReviewMarkKind = "OK" | "FOLLOW_UP" | "CONSISTENCY" | "POLICY";
export type AgingBucket = "DAYS_0_2" | "DAYS_3_5" | "DAYS_6_10" | "OVER_10";

export const MARK_KIND_LABELS: Record<ReviewMarkKind, string> = {
  OK: "OK",
  FOLLOW_UP: "Follow-up",
  CONSISTENCY: "Consistency concern",
  POLICY: "Policy concern",
};

export const AGING_LABELS: Record<AgingBucket, string> = {
  DAYS_0_2: "0-2 days",
  DAYS_3_5: "3-5 days",
  DAYS_6_10: "6-10 days",
  OVER_10: "Over 10 days",
};

export interface ReviewMarkFields {
  id: string;
  kind: ReviewMarkKind;
  note: string | null;
  markedAt: string;
  version: number;
  open: boolean;
  mayResolve: boolean;
  resolvedAt: string | null;
  resolutionNote: string | null;
  markedBy: { id: string; name: string } | null;
  resolvedBy: { id: string; name: string } | null;
}

const REVIEW_MARK_FIELDS = gql`
  fragment ReviewMarkFields on ReviewMark {
    id
    kind
    note
    markedAt
    version
    open
    mayResolve
    resolvedAt
    resolutionNote
    markedBy {
      id
      name
    }
    resolvedBy {
      id
      name
    }
  }
`;

export interface ReviewCycleSummary {
  id: string;
  weekStart: string;
  status: "OPEN" | "CLOSED";
  startedAt: string;
  closedAt: string | null;
  version: number;
  startedBy: { id: string; name: string } | null;
  closedBy: { id: string; name: string } | null;
  progress: { reviewed: number; total: number };
}

const REVIEW_CYCLE_FIELDS = gql`
  fragment ReviewCycleFields on ReviewCycle {
    id
    weekStart
    status
    startedAt
    closedAt
    version
    startedBy {
      id
      name
    }
    closedBy {
      id
      name
    }
    progress {
      reviewed
      total
    }
  }
`;

export interface ReviewQueueFilter {
  departmentId?: string | null;
  categoryId?: string | null;
  agingBucket?: AgingBucket | null;
  overdue?: boolean | null;
  flagged?: boolean | null;
  notReviewed?: boolean | null;
}

export interface ReviewRow {
  assignmentId: string;
  version: number;
  status: string;
  isLead: boolean;
  referenceNumber: string;
  confidential: boolean;
  departmentId: string;
  departmentName: string;
  categoryName: string;
  assigneeName: string | null;
  assignedAt: string;
  dueAt: string;
  ageDays: number;
  agingBucket: AgingBucket;
  overdue: boolean;
  responseCount: number;
  lastActivityAt: string | null;
  openConcerns: number;
  mark: ReviewMarkFields | null;
}

export interface ReviewQueueData {
  reviewQueue: {
    cycle: ReviewCycleSummary | null;
    totalCount: number;
    progress: { reviewed: number; total: number };
    byBucket: { bucket: AgingBucket; count: number }[];
    byDepartment: { departmentId: string; departmentName: string; count: number; reviewed: number }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: ReviewRow }[];
  };
}

export interface ReviewQueueVariables {
  filter?: ReviewQueueFilter | null;
  first?: number | null;
  after?: string | null;
}

export const REVIEW_QUEUE: TypedDocumentNode<ReviewQueueData, ReviewQueueVariables> = gql`
  query ReviewQueue($filter: ReviewQueueFilter, $first: Int, $after: String) {
    reviewQueue(filter: $filter, first: $first, after: $after) {
      cycle {
        ...ReviewCycleFields
      }
      totalCount
      progress {
        reviewed
        total
      }
      byBucket {
        bucket
        count
      }
      byDepartment {
        departmentId
        departmentName
        count
        reviewed
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          assignmentId
          version
          status
          isLead
          referenceNumber
          confidential
          departmentId
          departmentName
          categoryName
          assigneeName
          assignedAt
          dueAt
          ageDays
          agingBucket
          overdue
          responseCount
          lastActivityAt
          openConcerns
          mark {
            ...ReviewMarkFields
          }
        }
      }
    }
  }
  ${REVIEW_CYCLE_FIELDS}
  ${REVIEW_MARK_FIELDS}
`;

export const START_REVIEW_CYCLE: TypedDocumentNode<
  { startReviewCycle: ReviewCycleSummary },
  Record<string, never>
> = gql`
  mutation StartReviewCycle {
    startReviewCycle {
      ...ReviewCycleFields
    }
  }
  ${REVIEW_CYCLE_FIELDS}
`;

export const CLOSE_REVIEW_CYCLE: TypedDocumentNode<
  { closeReviewCycle: ReviewCycleSummary },
  { input: { id: string; version: number } }
> = gql`
  mutation CloseReviewCycle($input: CloseReviewCycleInput!) {
    closeReviewCycle(input: $input) {
      ...ReviewCycleFields
    }
  }
  ${REVIEW_CYCLE_FIELDS}
`;

export interface MarkAssignmentInput {
  cycleId: string;
  assignmentId: string;
  kind: ReviewMarkKind;
  note?: string | null;
  version?: number | null;
}

export const MARK_ASSIGNMENT: TypedDocumentNode<
  { markAssignment: ReviewMarkFields },
  { input: MarkAssignmentInput }
> = gql`
  mutation MarkAssignment($input: MarkAssignmentInput!) {
    markAssignment(input: $input) {
      ...ReviewMarkFields
    }
  }
  ${REVIEW_MARK_FIELDS}
`;

export const RESOLVE_REVIEW_MARK: TypedDocumentNode<
  { resolveReviewMark: ReviewMarkFields },
  { input: { id: string; version: number; resolutionNote: string } }
> = gql`
  mutation ResolveReviewMark($input: ResolveReviewMarkInput!) {
    resolveReviewMark(input: $input) {
      ...ReviewMarkFields
    }
  }
  ${REVIEW_MARK_FIELDS}
`;

export const REVIEW_CYCLES: TypedDocumentNode<
  { reviewCycles: ReviewCycleSummary[] },
  { limit?: number | null }
> = gql`
  query ReviewCycles($limit: Int) {
    reviewCycles(limit: $limit) {
      ...ReviewCycleFields
    }
  }
  ${REVIEW_CYCLE_FIELDS}
`;

export interface CycleMark extends ReviewMarkFields {
  assignment: {
    id: string;
    referenceNumber: string;
    categoryName: string;
    departmentName: string;
    status: string;
  } | null;
}

export const REVIEW_CYCLE: TypedDocumentNode<
  { reviewCycle: (ReviewCycleSummary & { marks: CycleMark[] }) | null },
  { id: string }
> = gql`
  query ReviewCycle($id: ID!) {
    reviewCycle(id: $id) {
      ...ReviewCycleFields
      marks {
        ...ReviewMarkFields
        assignment {
          id
          referenceNumber
          categoryName
          departmentName
          status
        }
      }
    }
  }
  ${REVIEW_CYCLE_FIELDS}
  ${REVIEW_MARK_FIELDS}
`;

export interface AssignmentReviewMark extends ReviewMarkFields {
  cycle: { id: string; weekStart: string } | null;
}

export const ASSIGNMENT_REVIEW_MARKS: TypedDocumentNode<
  { assignment: { id: string; reviewFlagged: boolean; reviewMarks: AssignmentReviewMark[] } | null },
  { id: string }
> = gql`
  query AssignmentReviewMarks($id: ID!) {
    assignment(id: $id) {
      id
      reviewFlagged
      reviewMarks {
        ...ReviewMarkFields
        cycle {
          id
          weekStart
        }
      }
    }
  }
  ${REVIEW_MARK_FIELDS}
`;
