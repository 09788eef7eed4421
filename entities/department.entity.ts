import { Field, ID, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

@ObjectType("Department")
@Entity({ name: "department" })
export class Department {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 40, unique: true })
  code: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 200 })
  name: string;

  @Field(() => String, { nullable: true, description: "The name in Spanish, for the public pages" })
  @Column({ name: "name_es", type: "varchar", length: 200, nullable: true })
  nameEs: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 320, nullable: true })
  email: string | null;

  @Field(() => Boolean)
  @Column({ type: "boolean", default: true })
  active: boolean;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;
}
