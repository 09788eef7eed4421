import { Field, ID, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/**
 * A personal API token for scripts and notebooks. Only its sha256 is stored; the prefix lets the owner
 * tell tokens apart. A token's requests are read-only whatever its owner's role.
 */
@ObjectType("ApiToken")
@Entity({ name: "api_token" })
export class ApiToken {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Index()
  @Column({ type: "uuid" })
  ownerId: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 100 })
  name: string;

  @Field(() => String, { description: "The first characters of the token, to tell tokens apart" })
  @Column({ type: "varchar", length: 20 })
  prefix: string;

  @Column({ type: "varchar", length: 64, unique: true, select: false })
  tokenHash: string;

  @Field(() => Date)
  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date)
  @Column({ type: "timestamptz" })
  expiresAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  revokedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  lastUsedAt: Date | null;
}
