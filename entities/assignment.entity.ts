import { Field, ID, Int, ObjectType } from "type-graphql";
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  VersionColumn,
} from "typeorm";
import { Contact } from "./contact.entity";
import { Department } from "./department.entity";
import { AssignmentStatus } from "./enums";

@ObjectType("Assignment", { description: "A contact given to a department to answer or to help" })
@Entity({ name: "assignment" })
export class Assignment {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Index()
  @Column({ type: "uuid" })
  contactId: string;

  @ManyToOne(() => Contact, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "contact_id" })
  contact?: Contact;

  @Index()
  @Column({ type: "uuid" })
  departmentId: string;

  @ManyToOne(() => Department, { nullable: false })
  @JoinColumn({ name: "department_id" })
  department?: Department;

  @Field(() => Boolean, { description: "The lead department is the one that answers the constituent" })
  @Column({ type: "boolean", default: true })
  isLead: boolean;

  @Field(() => AssignmentStatus)
  @Column({ type: "varchar", length: 20, default: AssignmentStatus.OPEN })
  status: AssignmentStatus;

  @Index()
  @Column({ type: "uuid", nullable: true })
  assigneeId: string | null;

  @Field(() => Date)
  @Column({ type: "timestamptz", default: () => "now()" })
  assignedAt: Date;

  @Field(() => Date)
  @Column({ type: "timestamptz" })
  dueAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  completedAt: Date | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  /** The misrouted assignment this one replaced. */
  @Index()
  @Column({ type: "uuid", nullable: true })
  transferredFromId: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Why it was transferred to this department, or why this department was asked to support",
  })
  @Column({ type: "text", nullable: true })
  reason: string | null;

  @Field(() => Int)
  @VersionColumn({ type: "int", default: 1 })
  version: number;

  /** Preloaded by the constituent screen; otherwise resolved in batches. */
  responses?: import("./response.entity").Response[];
}
