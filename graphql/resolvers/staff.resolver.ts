import { Authorized, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { Department, StaffUser } from "../../entities";
import type { GraphQLContext } from "../context";

@Resolver(() => StaffUser)
export class StaffResolver {
  @Authorized()
  @Query(() => StaffUser, { nullable: true, description: "The signed-in staff member" })
  async me(@Ctx() ctx: GraphQLContext): Promise<StaffUser | null> {
    return ctx.loaders.staffUser.load(ctx.viewer!.id);
  }

  @FieldResolver(() => Department, { nullable: true })
  async department(@Root() user: StaffUser, @Ctx() ctx: GraphQLContext): Promise<Department | null> {
    return user.departmentId ? ctx.loaders.department.load(user.departmentId) : null;
  }
}
