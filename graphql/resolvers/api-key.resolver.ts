import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { ApiKey, StaffUser } from "../../entities";
import { Rules } from "../../src/server/auth/viewer";
import { issueApiKey, listApiKeys, revokeApiKey } from "../../src/server/open311/api-key.service";
import type { GraphQLContext } from "../context";
import { IssueApiKeyInput, IssuedApiKey, RevokeApiKeyInput } from "../types/api-key.inputs";

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Authorized(...Rules.manageApiKeys)
  @Query(() => [ApiKey], { description: "Open311 clients' API keys: active first, newest first" })
  apiKeys(@Ctx() ctx: GraphQLContext): Promise<ApiKey[]> {
    return listApiKeys(ctx.ds, ctx.viewer);
  }

  @Authorized(...Rules.manageApiKeys)
  @Mutation(() => IssuedApiKey, { description: "A new Open311 API key; the key is returned once" })
  issueApiKey(
    @Arg("input", () => IssueApiKeyInput) input: IssueApiKeyInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<IssuedApiKey> {
    return issueApiKey(ctx.ds, ctx.viewer, input);
  }

  @Authorized(...Rules.manageApiKeys)
  @Mutation(() => ApiKey, { description: "Refuses the key from now on" })
  revokeApiKey(
    @Arg("input", () => RevokeApiKeyInput) input: RevokeApiKeyInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ApiKey> {
    return revokeApiKey(ctx.ds, ctx.viewer, input);
  }

  @FieldResolver(() => Boolean, { description: "Not revoked" })
  active(@Root() k: ApiKey): boolean {
    return k.revokedAt === null;
  }

  @FieldResolver(() => StaffUser, { nullable: true })
  createdBy(@Root() k: ApiKey, @Ctx() ctx: GraphQLContext): Promise<StaffUser | null> | null {
    return k.createdById ? ctx.loaders.staffUser.load(k.createdById) : null;
  }

  @FieldResolver(() => StaffUser, { nullable: true })
  revokedBy(@Root() k: ApiKey, @Ctx() ctx: GraphQLContext): Promise<StaffUser | null> | null {
    return k.revokedById ? ctx.loaders.staffUser.load(k.revokedById) : null;
  }
}
