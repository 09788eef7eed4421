import { Field, ID, ObjectType } from "type-graphql";
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from "typeorm";
import { Department } from "./department.entity";
import { Role } from "./enums";

@ObjectType("StaffUser")
@Entity({ name: "staff_user" })
export class StaffUser {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  /** Stored lower-case; unique. */
  @Field(() => String)
  @Column({ type: "varchar", length: 320, unique: true })
  email: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 200 })
  name: string;

  @Field(() => Role)
  @Column({ type: "varchar", length: 20 })
  role: Role;

  @Index()
  @Column({ type: "uuid", nullable: true })
  departmentId: string | null;

  @Field(() => Department, { nullable: true })
  @ManyToOne(() => Department, { nullable: true })
  @JoinColumn({ name: "department_id" })
  department?: Department | null;

  /** scrypt, in the self-describing form written by src/server/auth/password.ts; null for single sign-on only. */
  @Column({ type: "varchar", length: 300, nullable: true, select: false })
  passwordHash: string | null;

  @Field(() => Boolean)
  @Column({ type: "boolean", default: true })
  active: boolean;

  @Column({ type: "int", default: 0 })
  failedSignIns: number;

  @Column({ type: "timestamptz", nullable: true })
  lockedUntil: Date | null;

  @Column({ type: "timestamptz", nullable: true })
  lastSignInAt: Date | null;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;
}
