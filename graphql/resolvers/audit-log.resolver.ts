import DataLoader from "dataloader";
import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import { In } from "typeorm";
import { AuditEvent, StaffUser } from "../../entities";
import { listAuditEvents, type AuditEventPage } from "../../src/server/audit/audit-log.service";
import { Rules } from "../../src/server/auth/viewer";
import type { GraphQLContext } from "../context";
import { AuditEventConnection, AuditEventFilter } from "../types/records.inputs";

const actorLoaders = new WeakMap<GraphQLContext, DataLoader<string, StaffUser | null>>();

function actorLoader(ctx: GraphQLContext): DataLoader<string, StaffUser | null> {
  let l = actorLoaders.get(ctx);
  if (!l) {
    l = new DataLoader(async (ids) => {
      const rows = await ctx.ds.getRepository(StaffUser).findBy({ id: In([...ids]) });
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    });
    actorLoaders.set(ctx, l);
  }
  return l;
}

@Resolver(() => AuditEvent)
export class AuditLogResolver {
  @Authorized(...Rules.readAuditLog)
  @Query(() => AuditEventConnection, { description: "The append-only audit log, newest first" })
  auditEvents(
    @Arg("filter", () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | null,
    @Arg("first", () => Int, { nullable: true, description: "Default 50, at most 200" }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AuditEventPage> {
    return listAuditEvents(ctx.ds, ctx.viewer, { filter, first, after });
  }

  @FieldResolver(() => StaffUser, { nullable: true, description: "Who did it; none for the system" })
  actor(@Root() e: AuditEvent, @Ctx() ctx: GraphQLContext): Promise<StaffUser | null> | null {
    return e.actorId ? actorLoader(ctx).load(e.actorId) : null;
  }
}
