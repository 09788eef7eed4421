import DataLoader from "dataloader";
import { In } from "typeorm";
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Assignment, ReviewCycle, ReviewMark, ReviewMarkKind, StaffUser } from "../../entities";
import { Rules } from "../../src/server/auth/viewer";
import {
  closeReviewCycle,
  cycleProgress,
  listReviewCycles,
  loadReviewCycle,
  markAssignment,
  marksOfAssignments,
  marksOfCycle,
  mayResolve,
  resolveReviewMark,
  reviewQueue,
  startReviewCycle,
} from "../../src/server/review/review.service";
import type { GraphQLContext } from "../context";
import {
  CloseReviewCycleInput,
  MarkAssignmentInput,
  ResolveReviewMarkInput,
  ReviewItem,
  ReviewMarkAssignment,
  ReviewProgress,
  ReviewQueueConnection,
  ReviewQueueFilter,
} from "../types/review.inputs";

interface ReviewLoaders {
  mark: DataLoader<string, ReviewMark | null>;
  cycle: DataLoader<string, ReviewCycle | null>;
  marksOfAssignment: DataLoader<string, ReviewMark[]>;
  subject: DataLoader<string, ReviewMarkAssignment | null>;
}

const perRequest = new WeakMap<GraphQLContext, ReviewLoaders>();

function loaders(ctx: GraphQLContext): ReviewLoaders {
  let l = perRequest.get(ctx);
  if (!l) {
    l = {
      mark: new DataLoader(async (ids) => {
        const rows = await ctx.ds.getRepository(ReviewMark).findBy({ id: In([...ids]) });
        return ids.map((id) => rows.find((r) => r.id === id) ?? null);
      }),
      cycle: new DataLoader(async (ids) => {
        const rows = await ctx.ds.getRepository(ReviewCycle).findBy({ id: In([...ids]) });
        return ids.map((id) => rows.find((r) => r.id === id) ?? null);
      }),
      marksOfAssignment: new DataLoader((ids) => marksOfAssignments(ctx.ds, ctx.viewer, ids)),
      subject: new DataLoader(async (ids) => {
        const rows: ReviewMarkAssignment[] = await ctx.ds.query(
          `SELECT a.id, c.reference_number AS "referenceNumber", cat.name AS "categoryName",
                  d.name AS "departmentName", a.status
             FROM assignment a JOIN contact c ON c.id = a.contact_id
             JOIN category cat ON cat.id = c.category_id JOIN department d ON d.id = a.department_id
            WHERE a.id = ANY($1::uuid[])`,
          [ids],
        );
        return ids.map((id) => rows.find((r) => r.id === id) ?? null);
      }),
    };
    perRequest.set(ctx, l);
  }
  return l;
}

@Resolver(() => ReviewCycle)
export class ReviewResolver {
  @Authorized(...Rules.readReviews)
  @Query(() => ReviewQueueConnection, {
    description: "Every open assignment city-wide for the weekly review, grouped by department",
  })
  reviewQueue(
    @Arg("filter", () => ReviewQueueFilter, { nullable: true }) filter: ReviewQueueFilter | null,
    @Arg("first", () => Int, { nullable: true, description: "Default 100, at most 500" })
    first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ReviewQueueConnection> {
    return reviewQueue(ctx.ds, ctx.viewer, { filter, first, after });
  }

  @Authorized(...Rules.readReviews)
  @Query(() => [ReviewCycle], { description: "Review cycles, the latest week first" })
  reviewCycles(
    @Arg("limit", () => Int, { nullable: true, description: "Default 52, at most 500" }) limit: number | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ReviewCycle[]> {
    return listReviewCycles(ctx.ds, ctx.viewer, limit);
  }

  @Authorized(...Rules.readReviews)
  @Query(() => ReviewCycle, { nullable: true })
  reviewCycle(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ReviewCycle> {
    return loadReviewCycle(ctx.ds, ctx.viewer, id);
  }

  @Authorized(...Rules.reviewAssignments)
  @Mutation(() => ReviewCycle, { description: "Starts this week's review; one cycle is open at a time" })
  startReviewCycle(@Ctx() ctx: GraphQLContext): Promise<ReviewCycle> {
    return startReviewCycle(ctx.ds, ctx.viewer);
  }

  @Authorized(...Rules.reviewAssignments)
  @Mutation(() => ReviewCycle)
  closeReviewCycle(
    @Arg("input", () => CloseReviewCycleInput) input: CloseReviewCycleInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ReviewCycle> {
    return closeReviewCycle(ctx.ds, ctx.viewer, input);
  }

  @Authorized(...Rules.reviewAssignments)
  @Mutation(() => ReviewMark, {
    description: "Marks an open assignment in the open cycle; a concern notifies the department",
  })
  markAssignment(
    @Arg("input", () => MarkAssignmentInput) input: MarkAssignmentInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ReviewMark> {
    return markAssignment(ctx.ds, ctx.viewer, input);
  }

  @Authorized(...Rules.resolveReviewMarks)
  @Mutation(() => ReviewMark, { description: "The department answers a concern with a note" })
  resolveReviewMark(
    @Arg("input", () => ResolveReviewMarkInput) input: ResolveReviewMarkInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ReviewMark> {
    return resolveReviewMark(ctx.ds, ctx.viewer, input);
  }

  @FieldResolver(() => StaffUser, { nullable: true })
  startedBy(@Root() c: ReviewCycle, @Ctx() ctx: GraphQLContext): Promise<StaffUser | null> {
    return ctx.loaders.staffUser.load(c.startedById);
  }

  @FieldResolver(() => StaffUser, { nullable: true })
  async closedBy(@Root() c: ReviewCycle, @Ctx() ctx: GraphQLContext): Promise<StaffUser | null> {
    return c.closedById ? ctx.loaders.staffUser.load(c.closedById) : null;
  }

  @FieldResolver(() => ReviewProgress, { description: "Live while open; as it stood at closing afterwards" })
  progress(@Root() c: ReviewCycle, @Ctx() ctx: GraphQLContext): Promise<ReviewProgress> {
    return cycleProgress(ctx.ds, c);
  }

  @Authorized(...Rules.readReviews)
  @FieldResolver(() => [ReviewMark], { description: "Every mark of the cycle, oldest first" })
  marks(@Root() c: ReviewCycle, @Ctx() ctx: GraphQLContext): Promise<ReviewMark[]> {
    return marksOfCycle(ctx.ds, ctx.viewer, c.id);
  }
}

@Resolver(() => ReviewItem)
export class ReviewItemResolver {
  @FieldResolver(() => ReviewMark, { nullable: true, description: "Its mark in the open cycle" })
  async mark(@Root() item: ReviewItem, @Ctx() ctx: GraphQLContext): Promise<ReviewMark | null> {
    return item.markId ? loaders(ctx).mark.load(item.markId) : null;
  }
}

@Resolver(() => ReviewMark)
export class ReviewMarkResolver {
  @FieldResolver(() => ID)
  assignmentId(@Root() m: ReviewMark): string {
    return m.assignmentId;
  }

  @FieldResolver(() => ReviewMarkAssignment, { nullable: true })
  assignment(@Root() m: ReviewMark, @Ctx() ctx: GraphQLContext): Promise<ReviewMarkAssignment | null> {
    return loaders(ctx).subject.load(m.assignmentId);
  }

  @FieldResolver(() => ReviewCycle, { nullable: true })
  cycle(@Root() m: ReviewMark, @Ctx() ctx: GraphQLContext): Promise<ReviewCycle | null> {
    return loaders(ctx).cycle.load(m.cycleId);
  }

  @FieldResolver(() => StaffUser, { nullable: true })
  markedBy(@Root() m: ReviewMark, @Ctx() ctx: GraphQLContext): Promise<StaffUser | null> {
    return ctx.loaders.staffUser.load(m.markedById);
  }

  @FieldResolver(() => StaffUser, { nullable: true })
  async resolvedBy(@Root() m: ReviewMark, @Ctx() ctx: GraphQLContext): Promise<StaffUser | null> {
    return m.resolvedById ? ctx.loaders.staffUser.load(m.resolvedById) : null;
  }

  @FieldResolver(() => Boolean, { description: "A concern not yet resolved" })
  open(@Root() m: ReviewMark): boolean {
    return m.kind !== ReviewMarkKind.OK && !m.resolvedAt;
  }

  @FieldResolver(() => Boolean, { description: "Whether you may resolve it now" })
  mayResolve(@Root() m: ReviewMark, @Ctx() ctx: GraphQLContext): boolean {
    return !!ctx.viewer && mayResolve(ctx.viewer, m);
  }
}

@Resolver(() => Assignment)
export class AssignmentReviewResolver {
  @Authorized(...Rules.readReviewMarks)
  @FieldResolver(() => [ReviewMark], {
    description: "Review marks on this assignment, newest first; a department sees only its own",
  })
  reviewMarks(@Root() a: Assignment, @Ctx() ctx: GraphQLContext): Promise<ReviewMark[]> {
    return loaders(ctx).marksOfAssignment.load(a.id);
  }

  @Authorized(...Rules.readReviewMarks)
  @FieldResolver(() => Boolean, { description: "Has a review concern the department has not resolved" })
  async reviewFlagged(@Root() a: Assignment, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    const marks = await loaders(ctx).marksOfAssignment.load(a.id);
    return marks.some((m) => m.kind !== ReviewMarkKind.OK && !m.resolvedAt);
  }
}
