import DataLoader from "dataloader";
import type { GraphQLResolveInfo } from "graphql";
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Info,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { Assignment, Attachment, Contact, Language, Response } from "../../entities";
import {
  claimAssignment,
  completeAssignment,
  reopenContact,
  respondToAssignment,
} from "../../src/server/assignments/assignment.service";
import {
  AssignmentOrder,
  isOverdue,
  type QueueIncludes,
  listAssignments,
  loadAssignment,
} from "../../src/server/assignments/queue.service";
import { loadTimelines, type TimelineEntry as Entry } from "../../src/server/assignments/timeline.service";
import { Rules } from "../../src/server/auth/viewer";
import { reissueResponseLetter } from "../../src/server/letters/letter-reissue.service";
import { ReissueResponseLetterInput } from "../types/letter.inputs";
import type { GraphQLContext } from "../context";
import { selectedFields } from "../selection";
import {
  AssignmentConnection,
  AssignmentFilter,
  ClaimAssignmentInput,
  CompleteAssignmentInput,
  ReopenContactInput,
  RespondToAssignmentInput,
  TimelineEntry,
} from "../types/assignment.inputs";

const timelineLoaders = new WeakMap<GraphQLContext, DataLoader<string, Entry[]>>();

function timelineLoader(ctx: GraphQLContext): DataLoader<string, Entry[]> {
  let loader = timelineLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader((ids) => loadTimelines(ctx.ds, ctx.viewer, ids));
    timelineLoaders.set(ctx, loader);
  }
  return loader;
}

// The category's fields that its short form carries (the long texts are the bulk of a category's row).
const LIGHT_CATEGORY_FIELDS = new Set([
  "__typename",
  "id",
  "code",
  "name",
  "nameEs",
  "slaBusinessDays",
  "open311ServiceCode",
  "active",
  "department",
]);

/** What a queue page asks for under its nodes, so that the page statement loads it with the rows. */
function queueIncludes(info: GraphQLResolveInfo): QueueIncludes {
  const node = selectedFields(info, ["edges", "node"]);
  const category = selectedFields(info, ["edges", "node", "contact", "category"]);
  return {
    contact: node.has("contact") || node.has("standardResponse"),
    lightCategory: [...category].every((f) => LIGHT_CATEGORY_FIELDS.has(f)),
    assignee: node.has("assignee"),
    department: node.has("department"),
  };
}

@Resolver(() => Assignment)
export class AssignmentWorkResolver {
  @Authorized(...Rules.readAssignments)
  @Query(() => AssignmentConnection, { description: "The work queue: a department sees only its own" })
  assignments(
    @Arg("filter", () => AssignmentFilter, { nullable: true }) filter: AssignmentFilter | null,
    @Arg("orderBy", () => AssignmentOrder, { nullable: true }) orderBy: AssignmentOrder | null,
    @Arg("first", () => Int, { nullable: true, description: "Default 50, at most 200" }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AssignmentConnection> {
    return listAssignments(ctx.ds, ctx.viewer, {
      filter,
      orderBy,
      first,
      after,
      include: queueIncludes(info),
    });
  }

  @Authorized(...Rules.readAssignments)
  @Query(() => Assignment, { nullable: true })
  assignment(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Assignment> {
    return loadAssignment(ctx.ds, ctx.viewer, id);
  }

  @Authorized(...Rules.workAssignments)
  @Mutation(() => Assignment, { description: "OPEN -> IN_PROGRESS, for yourself or a colleague" })
  claimAssignment(
    @Arg("input", () => ClaimAssignmentInput) input: ClaimAssignmentInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Assignment> {
    return claimAssignment(ctx.ds, ctx.viewer, input);
  }

  @Authorized(...Rules.workAssignments)
  @Mutation(() => Response, { description: "A response to the constituent (lead only) or an internal note" })
  respondToAssignment(
    @Arg("input", () => RespondToAssignmentInput) input: RespondToAssignmentInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Response> {
    return respondToAssignment(ctx.ds, ctx.viewer, input);
  }

  @Authorized(...Rules.workAssignments)
  @Mutation(() => Attachment, {
    description: "The response's letter generated again with the current address; earlier letters stay",
  })
  reissueResponseLetter(
    @Arg("input", () => ReissueResponseLetterInput) input: ReissueResponseLetterInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Attachment> {
    return reissueResponseLetter(ctx.ds, ctx.viewer, input);
  }

  @Authorized(...Rules.workAssignments)
  @Mutation(() => Assignment)
  completeAssignment(
    @Arg("input", () => CompleteAssignmentInput) input: CompleteAssignmentInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Assignment> {
    return completeAssignment(ctx.ds, ctx.viewer, input);
  }

  @Authorized(...Rules.workAssignments)
  @Mutation(() => Contact, { description: "The lead assignment goes back to IN_PROGRESS; takes a reason" })
  reopenContact(
    @Arg("input", () => ReopenContactInput) input: ReopenContactInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Contact> {
    return reopenContact(ctx.ds, ctx.viewer, input);
  }

  // Synchronous when the page loaded it: no promise per row.
  @FieldResolver(() => Contact)
  contact(@Root() a: Assignment, @Ctx() ctx: GraphQLContext): Contact | Promise<Contact> {
    return a.contact ?? ctx.loaders.contact.load(a.contactId).then((c) => c!);
  }

  @FieldResolver(() => Boolean, { description: "Past its due date and still being worked" })
  overdue(@Root() a: Assignment): boolean {
    return isOverdue(a);
  }

  @FieldResolver(() => String, {
    description: "The category's standard response in the contact's language, reference number filled in",
  })
  async standardResponse(@Root() a: Assignment, @Ctx() ctx: GraphQLContext): Promise<string> {
    const contact = a.contact ?? (await ctx.loaders.contact.load(a.contactId))!;
    const category = (await ctx.loaders.category.load(contact.categoryId))!;
    const text =
      contact.language === Language.ES && category.standardResponseEs
        ? category.standardResponseEs
        : category.standardResponse;
    return text.replaceAll("{referenceNumber}", contact.referenceNumber);
  }
}

@Resolver(() => Contact)
export class ContactTimelineResolver {
  @Authorized(...Rules.readTimeline)
  @FieldResolver(() => [TimelineEntry], { description: "Every change, by whom and when, oldest first" })
  async timeline(@Root() c: Contact, @Ctx() ctx: GraphQLContext): Promise<TimelineEntry[]> {
    const entries = await timelineLoader(ctx).load(c.id);
    return Promise.all(
      entries.map(async (e) => ({
        at: e.at,
        action: e.action,
        summary: e.summary,
        reason: e.reason,
        actor: e.actorId ? await ctx.loaders.staffUser.load(e.actorId) : null,
      })),
    );
  }
}
