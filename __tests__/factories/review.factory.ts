import type { DataSource } from "typeorm";
import { ReviewCycle, ReviewCycleStatus, ReviewMark, ReviewMarkKind, type Assignment } from "../../entities";
import type { Viewer } from "../../src/server/auth/viewer";
import { weekStartOf } from "../../src/server/review/review.service";

/** A review cycle started by `reviewer`; open unless closedAt is given. */
export async function makeReviewCycle(
  ds: DataSource,
  reviewer: Viewer,
  overrides: Partial<ReviewCycle> = {},
): Promise<ReviewCycle> {
  const repo = ds.getRepository(ReviewCycle);
  return repo.save(
    repo.create({
      weekStart: weekStartOf(new Date()),
      startedById: reviewer.id,
      status: overrides.closedAt ? ReviewCycleStatus.CLOSED : ReviewCycleStatus.OPEN,
      closedById: overrides.closedAt ? reviewer.id : null,
      ...overrides,
    }),
  );
}

/** A mark on `assignment` in `cycle`, a follow-up by default. */
export async function makeReviewMark(
  ds: DataSource,
  reviewer: Viewer,
  cycle: ReviewCycle,
  assignment: Assignment,
  overrides: Partial<ReviewMark> = {},
): Promise<ReviewMark> {
  const repo = ds.getRepository(ReviewMark);
  return repo.save(
    repo.create({
      cycleId: cycle.id,
      assignmentId: assignment.id,
      departmentId: assignment.departmentId,
      kind: ReviewMarkKind.FOLLOW_UP,
      note: "Please call the resident back.",
      markedById: reviewer.id,
      ...overrides,
    }),
  );
}
