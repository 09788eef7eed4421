import DataLoader from "dataloader";
import {
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Int,
  ObjectType,
  Resolver,
  Root,
  registerEnumType,
} from "type-graphql";
import { Response, Role } from "../../entities";
import { deliveryOfResponses, type MailDeliveryState } from "../../src/server/mail/outbox.service";
import type { GraphQLContext } from "../context";

export enum MailDeliveryStatus {
  PENDING = "PENDING",
  SENT = "SENT",
  FAILED = "FAILED",
}
registerEnumType(MailDeliveryStatus, {
  name: "MailDeliveryStatus",
  description: "PENDING: waiting or retrying; SENT: accepted by the mail server; FAILED: gave up",
});

/** Who works the mail when it does not go out: the departments and the City Manager's Office. */
const SEES_DELIVERY_ERRORS = [Role.DEPARTMENT, Role.REVIEWER];

@ObjectType("MailDelivery", { description: "How an emailed response is getting to the constituent" })
export class MailDelivery {
  @Field(() => ID)
  id: string;

  @Field(() => MailDeliveryStatus)
  status: MailDeliveryStatus;

  @Field(() => Int, { description: "Send attempts so far" })
  attempts: number;

  @Field(() => Date, { nullable: true })
  sentAt: Date | null;

  @Field(() => Date, { nullable: true, description: "When the next attempt is due, while PENDING" })
  nextAttemptAt: Date | null;

  @Authorized(...SEES_DELIVERY_ERRORS)
  @Field(() => String, { nullable: true, description: "The mail server's last refusal (no credentials)" })
  lastError: string | null;
}

const loaders = new WeakMap<GraphQLContext, DataLoader<string, MailDeliveryState | null>>();

function deliveryLoader(ctx: GraphQLContext) {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const found = await deliveryOfResponses(ctx.ds, ids);
      return ids.map((id) => found.get(id) ?? null);
    });
    loaders.set(ctx, loader);
  }
  return loader;
}

@Resolver(() => Response)
export class MailDeliveryResolver {
  @FieldResolver(() => MailDelivery, {
    nullable: true,
    description: "The email delivery of this response; null when it was not sent by email",
  })
  async delivery(@Root() r: Response, @Ctx() ctx: GraphQLContext): Promise<MailDelivery | null> {
    const d = await deliveryLoader(ctx).load(r.id);
    if (!d) return null;
    return Object.assign(new MailDelivery(), {
      id: d.outboxId,
      status: d.status as MailDeliveryStatus,
      attempts: d.attempts,
      sentAt: d.sentAt,
      nextAttemptAt: d.nextAttemptAt,
      lastError: d.lastError,
    });
  }
}
