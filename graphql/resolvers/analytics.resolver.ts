import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { Category, Department, SavedQuery } from "../../entities";
import { listConstituents, listContacts } from "../../src/server/analytics/contact-query.service";
import { contactStats, StatsDimension } from "../../src/server/analytics/contact-stats.service";
import {
  deleteSavedQuery,
  listSavedQueries,
  saveQuery,
} from "../../src/server/analytics/saved-query.service";
import { Rules } from "../../src/server/auth/viewer";
import type { GraphQLContext } from "../context";
import {
  ConstituentConnection,
  ConstituentFilter,
  ContactConnection,
  ContactFilter,
  ContactStats,
  DeleteSavedQueryInput,
  SaveQueryInput,
} from "../types/analytics.inputs";

@Resolver(() => ContactStats)
export class AnalyticsResolver {
  @Authorized(...Rules.readAnalytics)
  @Query(() => ContactConnection, { description: "Contacts for analysis, newest first; at most 200 a page" })
  contacts(
    @Arg("filter", () => ContactFilter, { nullable: true }) filter: ContactFilter | null,
    @Arg("first", () => Int, { nullable: true, description: "Default 50, at most 200" }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ContactConnection> {
    return listContacts(ctx.ds, ctx.viewer, { filter, first, after });
  }

  @Authorized(...Rules.readAnalytics)
  @Query(() => ConstituentConnection, { description: "Constituents for analysis, newest first; audited" })
  constituents(
    @Arg("filter", () => ConstituentFilter, { nullable: true }) filter: ConstituentFilter | null,
    @Arg("first", () => Int, { nullable: true, description: "Default 50, at most 200" }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ConstituentConnection> {
    return listConstituents(ctx.ds, ctx.viewer, { filter, first, after });
  }

  @Authorized(...Rules.readAnalytics)
  @Query(() => [ContactStats], { description: "Counts and hours to close, grouped; at most 5,000 groups" })
  contactStats(
    @Arg("groupBy", () => [StatsDimension]) groupBy: StatsDimension[],
    @Arg("filter", () => ContactFilter, { nullable: true }) filter: ContactFilter | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ContactStats[]> {
    return contactStats(ctx.ds, ctx.viewer, { groupBy, filter });
  }

  @FieldResolver(() => Category, { nullable: true })
  category(@Root() s: ContactStats, @Ctx() ctx: GraphQLContext): Promise<Category | null> | null {
    return s.categoryId ? ctx.loaders.category.load(s.categoryId) : null;
  }

  @FieldResolver(() => Department, { nullable: true })
  department(@Root() s: ContactStats, @Ctx() ctx: GraphQLContext): Promise<Department | null> | null {
    return s.departmentId ? ctx.loaders.department.load(s.departmentId) : null;
  }
}

@Resolver(() => SavedQuery)
export class SavedQueryResolver {
  @Authorized(...Rules.useAnalystWorkspace)
  @Query(() => [SavedQuery], { description: "Your saved queries, by name" })
  savedQueries(@Ctx() ctx: GraphQLContext): Promise<SavedQuery[]> {
    return listSavedQueries(ctx.ds, ctx.viewer);
  }

  @Authorized(...Rules.useAnalystWorkspace)
  @Mutation(() => SavedQuery, { description: "Creates a saved query, or replaces one of yours by id" })
  saveQuery(
    @Arg("input", () => SaveQueryInput) input: SaveQueryInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SavedQuery> {
    return saveQuery(ctx.ds, ctx.viewer, input);
  }

  @Authorized(...Rules.useAnalystWorkspace)
  @Mutation(() => String, { description: "The deleted query's id" })
  deleteSavedQuery(
    @Arg("input", () => DeleteSavedQueryInput) input: DeleteSavedQueryInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<string> {
    return deleteSavedQuery(ctx.ds, ctx.viewer, input.id);
  }
}
