import { Field, ID, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/**
 * A key an Open311 client sends with each new service request. Only its sha256 is stored; the prefix
 * lets administrators tell keys apart. A revoked key is kept so that its requests stay attributable.
 */
@ObjectType("ApiKey", { description: "An Open311 client's key for submitting service requests" })
@Entity({ name: "api_key" })
export class ApiKey {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => String, { description: "Who the key is for, e.g. the app or vendor" })
  @Column({ type: "varchar", length: 100 })
  name: string;

  @Field(() => String, { description: "The first characters of the key, to tell keys apart" })
  @Column({ type: "varchar", length: 20 })
  keyPrefix: string;

  @Column({ type: "char", length: 64, unique: true, select: false })
  keyHash: string;

  @Index()
  @Column({ type: "uuid", nullable: true })
  createdById: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  revokedAt: Date | null;

  @Index()
  @Column({ type: "uuid", nullable: true })
  revokedById: string | null;

  @Field(() => Date, { nullable: true, description: "Last accepted request (updated at most once a minute)" })
  @Column({ type: "timestamptz", nullable: true })
  lastUsedAt: Date | null;
}
