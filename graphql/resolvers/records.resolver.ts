import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { RecordsRequest, RecordsRequestStatus } from "../../entities";
import { Rules } from "../../src/server/auth/viewer";
import {
  openRecordsPackageUrl,
  previewRecordsPackage,
  produceRecordsPackage,
  type RecordsPreview,
} from "../../src/server/records/records-export.service";
import {
  closeRecordsRequest,
  listRecordsRequests,
  loadRecordsRequest,
  recordRecordsRequest,
} from "../../src/server/records/records-request.service";
import type { GraphQLContext } from "../context";
import {
  RecordRecordsRequestInput,
  RecordsCountsType,
  RecordsPackagePreview,
  RecordsRequestVersionInput,
  RecordsScopeType,
} from "../types/records.inputs";

@Resolver(() => RecordsRequest)
export class RecordsResolver {
  @Authorized(...Rules.handleRecordsRequests)
  @Query(() => [RecordsRequest], { description: "Public records requests, soonest due first" })
  recordsRequests(
    @Arg("status", () => RecordsRequestStatus, { nullable: true }) status: RecordsRequestStatus | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RecordsRequest[]> {
    return listRecordsRequests(ctx.ds, ctx.viewer, { status });
  }

  @Authorized(...Rules.handleRecordsRequests)
  @Query(() => RecordsRequest, { nullable: true })
  recordsRequest(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<RecordsRequest> {
    return loadRecordsRequest(ctx.ds, ctx.viewer, id);
  }

  @Authorized(...Rules.handleRecordsRequests)
  @Query(() => RecordsPackagePreview, {
    description: "What the request's package would hold and redact, without producing it",
  })
  previewRecordsPackage(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RecordsPreview> {
    return previewRecordsPackage(ctx.ds, ctx.viewer, id);
  }

  @Authorized(...Rules.handleRecordsRequests)
  @Mutation(() => RecordsRequest, {
    description: "Records a public records request; its due date follows policy",
  })
  recordRecordsRequest(
    @Arg("input", () => RecordRecordsRequestInput) input: RecordRecordsRequestInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RecordsRequest> {
    return recordRecordsRequest(ctx.ds, ctx.viewer, input);
  }

  @Authorized(...Rules.handleRecordsRequests)
  @Mutation(() => RecordsRequest, {
    description:
      "Produces (or produces again) the redacted package: CSV, JSON, attachments and redaction log",
  })
  produceRecordsPackage(
    @Arg("input", () => RecordsRequestVersionInput) input: RecordsRequestVersionInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RecordsRequest> {
    return produceRecordsPackage(ctx.ds, ctx.viewer, input);
  }

  @Authorized(...Rules.handleRecordsRequests)
  @Mutation(() => RecordsRequest, { description: "The package was handed over: the request is fulfilled" })
  closeRecordsRequest(
    @Arg("input", () => RecordsRequestVersionInput) input: RecordsRequestVersionInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RecordsRequest> {
    return closeRecordsRequest(ctx.ds, ctx.viewer, input);
  }

  @FieldResolver(() => RecordsScopeType)
  scope(@Root() r: RecordsRequest): RecordsScopeType {
    const s = r.scope;
    return {
      receivedFrom: s.receivedFrom ?? null,
      receivedTo: s.receivedTo ?? null,
      categoryIds: s.categoryIds ?? [],
      departmentIds: s.departmentIds ?? [],
      constituentId: s.constituentId ?? null,
      text: s.text ?? null,
      includeAttachmentFiles: s.includeAttachmentFiles !== false,
    };
  }

  @FieldResolver(() => RecordsCountsType, { nullable: true, description: "What the last package held" })
  counts(@Root() r: RecordsRequest): RecordsCountsType | null {
    return r.counts;
  }

  @FieldResolver(() => String, { nullable: true, description: "Where the produced package is downloaded" })
  packageUrl(@Root() r: RecordsRequest): string | null {
    return r.packageSha256 ? openRecordsPackageUrl(r.id) : null;
  }
}
