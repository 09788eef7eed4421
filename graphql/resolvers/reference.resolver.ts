import { Authorized, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { Category, Department } from "../../entities";
import { Rules } from "../../src/server/auth/viewer";
import { listCategories, listDepartments } from "../../src/server/routing/routing.service";
import type { GraphQLContext } from "../context";

@Resolver(() => Category)
export class ReferenceResolver {
  @Authorized(...Rules.readReferenceData)
  @Query(() => [Department])
  departments(@Ctx() ctx: GraphQLContext): Promise<Department[]> {
    return listDepartments(ctx.ds, ctx.viewer);
  }

  @Authorized(...Rules.readReferenceData)
  @Query(() => [Category], { description: "Active categories, each with the department it routes to" })
  categories(@Ctx() ctx: GraphQLContext): Promise<Category[]> {
    return listCategories(ctx.ds, ctx.viewer);
  }

  @FieldResolver(() => Department)
  async department(@Root() category: Category, @Ctx() ctx: GraphQLContext): Promise<Department> {
    return category.department ?? (await ctx.loaders.department.load(category.departmentId))!;
  }
}
