import { Arg, Authorized, Ctx, ID, Query, Resolver } from "type-graphql";
import { StaffUser } from "../../entities";
import { departmentStaff } from "../../src/server/assignments/staff.service";
import { Rules } from "../../src/server/auth/viewer";
import type { GraphQLContext } from "../context";

@Resolver(() => StaffUser)
export class StaffDirectoryResolver {
  @Authorized(...Rules.readDepartmentStaff)
  @Query(() => [StaffUser], {
    description: "Active staff of a department, to give an assignment to (department staff: their own only)",
  })
  departmentStaff(
    @Arg("departmentId", () => ID) departmentId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<StaffUser[]> {
    return departmentStaff(ctx.ds, ctx.viewer, departmentId);
  }
}
