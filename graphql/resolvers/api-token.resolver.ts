import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { ApiToken } from "../../entities";
import { createApiToken, listApiTokens, revokeApiToken } from "../../src/server/auth/api-token.service";
import { Rules } from "../../src/server/auth/viewer";
import type { GraphQLContext } from "../context";
import { CreateApiTokenInput, CreateApiTokenResult, RevokeApiTokenInput } from "../types/analytics.inputs";

@Resolver(() => ApiToken)
export class ApiTokenResolver {
  @Authorized(...Rules.manageApiTokens)
  @Query(() => [ApiToken], { description: "Your personal API tokens, newest first" })
  apiTokens(@Ctx() ctx: GraphQLContext): Promise<ApiToken[]> {
    return listApiTokens(ctx.ds, ctx.viewer);
  }

  @Authorized(...Rules.manageApiTokens)
  @Mutation(() => CreateApiTokenResult, {
    description: "A read-only token for scripts; its secret is shown once",
  })
  createApiToken(
    @Arg("input", () => CreateApiTokenInput) input: CreateApiTokenInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreateApiTokenResult> {
    return createApiToken(ctx.ds, ctx.viewer, input);
  }

  @Authorized(...Rules.manageApiTokens)
  @Mutation(() => ApiToken)
  revokeApiToken(
    @Arg("input", () => RevokeApiTokenInput) input: RevokeApiTokenInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ApiToken> {
    return revokeApiToken(ctx.ds, ctx.viewer, input.id);
  }
}
