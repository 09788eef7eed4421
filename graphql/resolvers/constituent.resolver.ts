import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Constituent, Contact } from "../../entities";
import { Rules } from "../../src/server/auth/viewer";
import { viewLog } from "../../src/server/audit/view-log";
import { loadConstituentScreen } from "../../src/server/constituents/constituent-screen.service";
import {
  createConstituent,
  mergeConstituents,
  updateConstituent,
} from "../../src/server/constituents/constituent.service";
import { searchConstituents } from "../../src/server/search/search.service";
import type { GraphQLContext } from "../context";
import {
  ConstituentMatch,
  CreateConstituentInput,
  CreateConstituentResult,
  MergeConstituentsInput,
  UpdateConstituentInput,
} from "../types/constituent.inputs";

@Resolver(() => Constituent)
export class ConstituentResolver {
  @Authorized(...Rules.readConstituents)
  @Query(() => [ConstituentMatch], {
    description: "Fuzzy: misspelt names, accents, phone in any format, email, address",
  })
  searchConstituents(
    @Arg("query", () => String) query: string,
    @Arg("limit", () => Int, { nullable: true }) limit: number | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConstituentMatch[]> {
    return searchConstituents(ctx.ds, ctx.viewer, query, limit ?? 10);
  }

  @Authorized(...Rules.readConstituents)
  @Query(() => Constituent, {
    nullable: true,
    description: "The constituent screen: contacts > assignments > responses",
  })
  async constituent(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Constituent | null> {
    const found = await loadConstituentScreen(ctx.ds, ctx.viewer, id);
    if (found) viewLog(ctx.ds).record(ctx.viewer!, found.id);
    return found;
  }

  @Authorized(...Rules.writeConstituents)
  @Mutation(() => CreateConstituentResult, {
    description: "Returns likely duplicates instead of creating, unless confirmed",
  })
  async createConstituent(
    @Arg("input", () => CreateConstituentInput) input: CreateConstituentInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreateConstituentResult> {
    const outcome = await createConstituent(ctx.ds, ctx.viewer, input);
    return { created: !!outcome.constituent, ...outcome };
  }

  @Authorized(...Rules.writeConstituents)
  @Mutation(() => Constituent)
  updateConstituent(
    @Arg("input", () => UpdateConstituentInput) input: UpdateConstituentInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Constituent> {
    return updateConstituent(ctx.ds, ctx.viewer, input);
  }

  @Authorized(...Rules.mergeConstituents)
  @Mutation(() => Constituent, { description: "Moves the duplicate's contacts to the survivor; audited" })
  mergeConstituents(
    @Arg("input", () => MergeConstituentsInput) input: MergeConstituentsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Constituent> {
    return mergeConstituents(ctx.ds, ctx.viewer, input);
  }

  @FieldResolver(() => [Contact], { description: "Newest first" })
  contacts(@Root() c: Constituent, @Ctx() ctx: GraphQLContext): Contact[] | Promise<Contact[]> {
    return c.contacts ?? ctx.loaders.contactsByConstituent.load(c.id);
  }
}
