import { Field, ID, Int, ObjectType } from "type-graphql";
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

@ObjectType("Category", { description: "An inquiry category: routes a contact to its department" })
@Entity({ name: "category" })
export class Category {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 60, unique: true })
  code: string;

  @Field(() => String, { description: "English name" })
  @Column({ type: "varchar", length: 200 })
  name: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 200 })
  nameEs: string;

  @Field(() => String)
  @Column({ type: "text", default: "" })
  description: string;

  @Field(() => String)
  @Column({ type: "text", default: "" })
  descriptionEs: string;

  @Index()
  @Column({ type: "uuid" })
  departmentId: string;

  @Field(() => Department)
  @ManyToOne(() => Department, { nullable: false })
  @JoinColumn({ name: "department_id" })
  department?: Department;

  @Field(() => Int, { description: "Business days from receipt to the due date" })
  @Column({ type: "int" })
  slaBusinessDays: number;

  @Field(() => String)
  @Column({ type: "text", default: "" })
  standardResponse: string;

  @Field(() => String)
  @Column({ type: "text", default: "" })
  standardResponseEs: string;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 40, nullable: true, unique: true })
  open311ServiceCode: string | null;

  @Column({ type: "jsonb", default: () => "'[]'::jsonb" })
  open311Attributes: unknown[];

  @Field(() => [String])
  @Column({ type: "text", array: true, default: () => "'{}'" })
  keywords: string[];

  @Field(() => Boolean)
  @Column({ type: "boolean", default: true })
  active: boolean;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;
}
