import { Arg, Ctx, Float, ID, Mutation, Query, Resolver } from "type-graphql";
import { Channel, ContactStatus, Language } from "../../entities";
import { submitPublicRequest } from "../../src/server/intake/public-intake.service";
import { publicOpenReports } from "../../src/server/self-service/duplicates.service";
import { publicCategories } from "../../src/server/self-service/help.service";
import { guardPublicForm } from "../../src/server/self-service/public-form";
import { trackingPath } from "../../src/server/self-service/receipt-mail";
import { publicRequestStatus } from "../../src/server/self-service/status.service";
import type { GraphQLContext } from "../context";
import {
  PublicCategory,
  PublicOpenReport,
  PublicRequestReceipt,
  PublicRequestStatus,
  SubmitServiceRequestInput,
} from "../types/self-service.inputs";

/** Public (no sign-in): the self-service form, its help, and the status page. */
@Resolver()
export class SelfServiceResolver {
  @Query(() => [PublicCategory], {
    description: "Public: active categories and their standard answers; with a query, those that match it",
  })
  publicCategories(
    @Ctx() ctx: GraphQLContext,
    @Arg("query", () => String, { nullable: true }) query?: string | null,
    @Arg("language", () => Language, { nullable: true }) language?: Language | null,
  ): Promise<PublicCategory[]> {
    return publicCategories(ctx.ds, query, language ?? Language.EN);
  }

  @Query(() => [PublicOpenReport], {
    description: "Public: open reports of the same issue nearby, to join instead of filing again",
  })
  publicOpenReports(
    @Ctx() ctx: GraphQLContext,
    @Arg("categoryId", () => ID) categoryId: string,
    @Arg("locationAddress", () => String, { nullable: true }) locationAddress?: string | null,
    @Arg("locationLat", () => Float, { nullable: true }) locationLat?: number | null,
    @Arg("locationLong", () => Float, { nullable: true }) locationLong?: number | null,
  ): Promise<PublicOpenReport[]> {
    return publicOpenReports(
      ctx.ds,
      { categoryId, locationAddress, locationLat, locationLong },
      ctx.request?.clientAddress,
    );
  }

  @Query(() => PublicRequestStatus, {
    nullable: true,
    description:
      "Public: a request's status by reference number and tracking code; null when either is wrong. " +
      "Without a tracking code, only what Open311 shows for that reference number (never the answers)",
  })
  requestStatus(
    @Arg("referenceNumber", () => String) referenceNumber: string,
    @Arg("trackingCode", () => String, { nullable: true }) trackingCode: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PublicRequestStatus | null> {
    return publicRequestStatus(ctx.ds, referenceNumber, trackingCode, ctx.request?.clientAddress);
  }

  @Mutation(() => PublicRequestReceipt, {
    description: "Public: the self-service request form (needs the form's CSRF token)",
  })
  async submitServiceRequest(
    @Arg("input", () => SubmitServiceRequestInput) input: SubmitServiceRequestInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<PublicRequestReceipt> {
    guardPublicForm(!!ctx.request?.csrfValid, input.website);
    const { website: _honeypot, ...command } = input;
    const receipt = await submitPublicRequest(ctx.ds, command, {
      channel: Channel.WEB,
      clientAddress: ctx.request?.clientAddress,
    });
    return {
      referenceNumber: receipt.referenceNumber,
      trackingCode: receipt.trackingCode,
      trackingPath: trackingPath(receipt.referenceNumber, receipt.trackingCode, receipt.language),
      status: receipt.status === "IN_PROGRESS" ? ContactStatus.IN_PROGRESS : ContactStatus.OPEN,
      departmentName: receipt.departmentName,
      departmentNameEs: receipt.departmentNameEs,
      dueAt: receipt.dueAt,
      language: receipt.language,
    };
  }
}
