import { Arg, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import { Rules } from "../../src/server/auth/viewer";
import { consistencyFindings } from "../../src/server/review/consistency.service";
import { SlaGroupBy, slaBacklog, slaReport, type LiveRow } from "../../src/server/review/sla-report.service";
import type { GraphQLContext } from "../context";
import {
  BacklogBucket,
  ConsistencyFinding,
  ConsistencyFindingsFilter,
  SlaReport,
} from "../types/report.inputs";

const liveMemos = new WeakMap<GraphQLContext, Map<string, Promise<LiveRow[]>>>();

/** One request's groupings of the same period read the live completions once. */
function liveMemoOf(ctx: GraphQLContext): Map<string, Promise<LiveRow[]>> {
  let memo = liveMemos.get(ctx);
  if (!memo) liveMemos.set(ctx, (memo = new Map()));
  return memo;
}

@Resolver(() => SlaReport)
export class ReportResolver {
  @Authorized(...Rules.readSlaReport)
  @Query(() => SlaReport, {
    description:
      "The five-day figure, on-time share and time to complete, grouped; a department sees only its own",
  })
  async slaReport(
    @Arg("groupBy", () => SlaGroupBy) groupBy: SlaGroupBy,
    @Arg("from", () => String, { description: "First city date, YYYY-MM-DD" }) from: string,
    @Arg("to", () => String, { description: "Last city date, included" }) to: string,
    @Arg("departmentId", () => ID, { nullable: true }) departmentId: string | null,
    @Arg("categoryId", () => ID, { nullable: true }) categoryId: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SlaReport> {
    const report = await slaReport(ctx.ds, ctx.viewer, {
      groupBy,
      from,
      to,
      departmentId,
      categoryId,
      includeBacklog: false,
      liveMemo: liveMemoOf(ctx),
    });
    return { ...report, definitions: [...report.definitions] };
  }

  @Authorized(...Rules.readSlaReport)
  @FieldResolver(() => [BacklogBucket], {
    description: "Open lead assignments now, whatever the period, by time since the contact was received",
  })
  backlog(@Root() r: SlaReport, @Ctx() ctx: GraphQLContext): Promise<BacklogBucket[]> {
    return slaBacklog(ctx.ds, ctx.viewer, { departmentId: r.departmentId, categoryId: r.categoryId });
  }

  @Authorized(...Rules.readConsistencyFindings)
  @Query(() => [ConsistencyFinding], { description: "The weekly review's consistency findings for a period" })
  consistencyFindings(
    @Arg("filter", () => ConsistencyFindingsFilter, { nullable: true })
    filter: ConsistencyFindingsFilter | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConsistencyFinding[]> {
    return consistencyFindings(ctx.ds, ctx.viewer, filter ?? {});
  }
}
