import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  ObjectType,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import { Category, Department } from "../../entities";
import { Rules } from "../../src/server/auth/viewer";
import { listCategories, listDepartments, previewRoute } from "../../src/server/routing/routing.service";
import type { GraphQLContext } from "../context";

@ObjectType("RoutingPreview", {
  description: "Where a new contact in this category goes, and when it is due",
})
class RoutingPreview {
  @Field(() => Category)
  category: Category;

  @Field(() => Department)
  department: Department;

  @Field(() => Date)
  dueAt: Date;
}

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

  @Authorized(...Rules.recordContacts)
  @Query(() => RoutingPreview)
  routingPreview(
    @Arg("categoryId", () => ID) categoryId: string,
    @Arg("receivedAt", () => Date, { nullable: true }) receivedAt: Date | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RoutingPreview> {
    return previewRoute(ctx.ds, ctx.viewer, categoryId, receivedAt);
  }

  @FieldResolver(() => Department)
  async department(@Root() category: Category, @Ctx() ctx: GraphQLContext): Promise<Department> {
    return category.department ?? (await ctx.loaders.department.load(category.departmentId))!;
  }
}
