import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import {
  Assignment,
  Attachment,
  Category,
  ConfidentialCallback,
  Constituent,
  Contact,
  ContactStatus,
  Department,
  Response,
  StaffUser,
} from "../../entities";
import { contactStatus } from "../../src/server/assignments/contact-status";
import type { QueueNode } from "../../src/server/assignments/queue.service";
import { Rules } from "../../src/server/auth/viewer";
import { mayReadCallback, mayReadConfidentialDocuments } from "../../src/server/confidentiality/visibility";
import { loadContactByReference } from "../../src/server/constituents/constituent-screen.service";
import { recordContact } from "../../src/server/intake/intake.service";
import type { GraphQLContext } from "../context";
import { RecordContactInput } from "../types/contact.inputs";

@Resolver(() => Contact)
export class ContactResolver {
  @Authorized(...Rules.readConstituents)
  @Query(() => Contact, { nullable: true })
  contact(
    @Arg("referenceNumber", () => String) referenceNumber: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Contact | null> {
    return loadContactByReference(ctx.ds, ctx.viewer, referenceNumber);
  }

  @Authorized(...Rules.recordContacts)
  @Mutation(() => Contact, { description: "Records a contact and routes it to the category's department" })
  recordContact(
    @Arg("input", () => RecordContactInput) input: RecordContactInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Contact> {
    return recordContact(ctx.ds, ctx.viewer, input);
  }

  // Loaded with the row where it can be: returned as it is, not as a promise per row.
  @FieldResolver(() => Category)
  category(@Root() c: Contact, @Ctx() ctx: GraphQLContext): Category | Promise<Category> {
    return c.category ?? ctx.loaders.category.load(c.categoryId).then((k) => k!);
  }

  @FieldResolver(() => Constituent, { nullable: true, description: "Null for a confidential request" })
  async constituent(@Root() c: Contact, @Ctx() ctx: GraphQLContext): Promise<Constituent | null> {
    if (c.confidential || !c.constituentId) return null;
    return ctx.loaders.constituent.load(c.constituentId);
  }

  @FieldResolver(() => [Assignment])
  assignments(@Root() c: Contact, @Ctx() ctx: GraphQLContext): Assignment[] | Promise<Assignment[]> {
    return c.assignments ?? ctx.loaders.assignmentsByContact.load(c.id);
  }

  @FieldResolver(() => [Attachment])
  attachments(@Root() c: Contact, @Ctx() ctx: GraphQLContext): Attachment[] | Promise<Attachment[]> {
    if (c.confidential && !mayReadConfidentialDocuments(ctx.viewer!)) return [];
    return c.attachments ?? ctx.loaders.attachmentsByContact.load(c.id);
  }

  @FieldResolver(() => ContactStatus)
  async status(@Root() c: Contact, @Ctx() ctx: GraphQLContext): Promise<ContactStatus> {
    // A duplicate's own assignments are cancelled when it is linked: its status is its first report's.
    if (c.duplicateOfId) return contactStatus(await ctx.loaders.assignmentsByContact.load(c.duplicateOfId));
    return contactStatus(c.assignments ?? (await ctx.loaders.assignmentsByContact.load(c.id)));
  }

  @FieldResolver(() => StaffUser, { nullable: true })
  enteredBy(@Root() c: Contact, @Ctx() ctx: GraphQLContext): Promise<StaffUser | null> | null {
    return c.enteredById ? ctx.loaders.staffUser.load(c.enteredById) : null;
  }

  @Authorized(...Rules.readCallbacks)
  @FieldResolver(() => ConfidentialCallback, {
    nullable: true,
    description:
      "A confidential request's volunteered callback: assigned departments and the City Manager's Office",
  })
  async callback(@Root() c: Contact, @Ctx() ctx: GraphQLContext): Promise<ConfidentialCallback | null> {
    if (!c.confidential) return null;
    const assignments = c.assignments ?? (await ctx.loaders.assignmentsByContact.load(c.id));
    if (
      !mayReadCallback(
        ctx.viewer!,
        assignments.map((a) => a.departmentId),
      )
    )
      return null;
    return ctx.loaders.callback.load(c.id);
  }
}

@Resolver(() => Assignment)
export class AssignmentResolver {
  @FieldResolver(() => Department)
  department(@Root() a: Assignment, @Ctx() ctx: GraphQLContext): Department | Promise<Department> {
    return a.department ?? ctx.loaders.department.load(a.departmentId).then((d) => d!);
  }

  @FieldResolver(() => [Response])
  responses(@Root() a: Assignment, @Ctx() ctx: GraphQLContext): Response[] | Promise<Response[]> {
    return a.responses ?? ctx.loaders.responsesByAssignment.load(a.id);
  }

  @FieldResolver(() => StaffUser, { nullable: true })
  assignee(@Root() a: QueueNode, @Ctx() ctx: GraphQLContext): StaffUser | Promise<StaffUser | null> | null {
    if (!a.assigneeId) return null;
    return a.assignee ?? ctx.loaders.staffUser.load(a.assigneeId);
  }
}
