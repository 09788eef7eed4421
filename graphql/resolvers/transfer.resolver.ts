import DataLoader from "dataloader";
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  Float,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { In } from "typeorm";
import { Assignment, Contact } from "../../entities";
import { addSupportingAssignment, transferAssignment } from "../../src/server/assignments/transfer.service";
import { Rules } from "../../src/server/auth/viewer";
import {
  duplicatesOf,
  linkDuplicateContact,
  possibleDuplicateContacts,
  reporterCounts,
  visibleContacts,
} from "../../src/server/intake/duplicate-contacts.service";
import type { GraphQLContext } from "../context";
import {
  AddSupportingAssignmentInput,
  LinkDuplicateContactInput,
  TransferAssignmentInput,
} from "../types/transfer.inputs";

function createLoaders(ctx: GraphQLContext) {
  const v = ctx.viewer!;
  return {
    assignment: new DataLoader<string, Assignment | null>(async (ids) => {
      const rows = await ctx.ds.getRepository(Assignment).findBy({ id: In([...ids]) });
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    reporterCount: new DataLoader<string, number>((ids) => reporterCounts(ctx.ds, ids)),
    visibleContact: new DataLoader<string, Contact | null>(async (ids) => {
      const map = new Map((await visibleContacts(ctx.ds, v, ids)).map((c) => [c.id, c]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    duplicates: new DataLoader<string, Contact[]>((ids) => duplicatesOf(ctx.ds, v, ids)),
  };
}

const perRequest = new WeakMap<GraphQLContext, ReturnType<typeof createLoaders>>();

/** Per-request batching for the fields below, kept with the request's context. */
function loadersOf(ctx: GraphQLContext): ReturnType<typeof createLoaders> {
  let l = perRequest.get(ctx);
  if (!l) {
    l = createLoaders(ctx);
    perRequest.set(ctx, l);
  }
  return l;
}

@Resolver(() => Assignment)
export class TransferResolver {
  @Authorized(...Rules.transferAssignments)
  @Mutation(() => Assignment, {
    description: "Hands a misrouted lead assignment to another department; returns the new assignment",
  })
  transferAssignment(
    @Arg("input", () => TransferAssignmentInput) input: TransferAssignmentInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Assignment> {
    return transferAssignment(ctx.ds, ctx.viewer, input);
  }

  @Authorized(...Rules.addSupportingAssignments)
  @Mutation(() => Assignment, { description: "Asks another department to help; only the lead answers" })
  addSupportingAssignment(
    @Arg("input", () => AddSupportingAssignmentInput) input: AddSupportingAssignmentInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Assignment> {
    return addSupportingAssignment(ctx.ds, ctx.viewer, input);
  }

  @FieldResolver(() => Assignment, { nullable: true, description: "The misrouted assignment this replaced" })
  async transferredFrom(@Root() a: Assignment, @Ctx() ctx: GraphQLContext): Promise<Assignment | null> {
    const fromId =
      a.transferredFromId === undefined
        ? ((await loadersOf(ctx).assignment.load(a.id))?.transferredFromId ?? null)
        : a.transferredFromId;
    return fromId ? loadersOf(ctx).assignment.load(fromId) : null;
  }

  @FieldResolver(() => String, { nullable: true })
  async reason(@Root() a: Assignment, @Ctx() ctx: GraphQLContext): Promise<string | null> {
    if (a.reason !== undefined) return a.reason;
    return (await loadersOf(ctx).assignment.load(a.id))?.reason ?? null;
  }

  @FieldResolver(() => Int, { description: "1 + the contacts linked as duplicates of this one's contact" })
  reporterCount(@Root() a: Assignment, @Ctx() ctx: GraphQLContext): Promise<number> {
    return loadersOf(ctx).reporterCount.load(a.contactId);
  }
}

@Resolver(() => Contact)
export class DuplicateContactResolver {
  @Authorized(...Rules.findDuplicateContacts)
  @Query(() => [Contact], {
    description: "Open contacts in the same category at or near the same place (last 60 days, at most 10)",
  })
  possibleDuplicateContacts(
    @Arg("categoryId", () => ID) categoryId: string,
    @Arg("locationAddress", () => String, { nullable: true }) locationAddress: string | null,
    @Arg("locationLat", () => Float, { nullable: true }) locationLat: number | null,
    @Arg("locationLong", () => Float, { nullable: true }) locationLong: number | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Contact[]> {
    return possibleDuplicateContacts(ctx.ds, ctx.viewer, {
      categoryId,
      locationAddress,
      locationLat,
      locationLong,
    });
  }

  @Authorized(...Rules.linkDuplicateContacts)
  @Mutation(() => Contact, {
    description: "Marks contactId a duplicate of duplicateOfId (of its first report)",
  })
  linkDuplicateContact(
    @Arg("input", () => LinkDuplicateContactInput) input: LinkDuplicateContactInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Contact> {
    return linkDuplicateContact(ctx.ds, ctx.viewer, input);
  }

  @FieldResolver(() => Contact, { nullable: true, description: "The first report of the same issue" })
  duplicateOf(@Root() c: Contact, @Ctx() ctx: GraphQLContext): Promise<Contact | null> | null {
    return c.duplicateOfId ? loadersOf(ctx).visibleContact.load(c.duplicateOfId) : null;
  }

  @FieldResolver(() => Int, { description: "1 + the contacts linked as duplicates of this one" })
  reporterCount(@Root() c: Contact, @Ctx() ctx: GraphQLContext): Promise<number> {
    return loadersOf(ctx).reporterCount.load(c.id);
  }

  @FieldResolver(() => [Contact], { description: "Later reports linked to this one" })
  duplicates(@Root() c: Contact, @Ctx() ctx: GraphQLContext): Promise<Contact[]> {
    return loadersOf(ctx).duplicates.load(c.id);
  }
}
