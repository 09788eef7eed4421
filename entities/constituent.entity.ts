import { Field, ID, Int, ObjectType } from "type-graphql";
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from "typeorm";
import { Channel, Language } from "./enums";

@ObjectType("Constituent")
@Entity({ name: "constituent" })
export class Constituent {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  firstName: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  lastName: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 200, nullable: true })
  organization: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 320, nullable: true })
  email: string | null;

  @Field(() => String, { nullable: true, description: "E.164, e.g. +16025550123" })
  @Index()
  @Column({ type: "varchar", length: 20, nullable: true })
  phone: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 200, nullable: true })
  addressLine1: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 200, nullable: true })
  addressLine2: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  city: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 40, nullable: true })
  state: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 20, nullable: true })
  postalCode: string | null;

  @Field(() => Language)
  @Column({ type: "varchar", length: 5, default: Language.EN })
  preferredLanguage: Language;

  @Field(() => Channel, { nullable: true })
  @Column({ type: "varchar", length: 20, nullable: true })
  preferredChannel: Channel | null;

  /** Topic -> consent given, e.g. { "parks": true }. */
  @Column({ type: "jsonb", default: () => "'{}'::jsonb" })
  outreachConsent: Record<string, boolean>;

  @Field(() => ID, { nullable: true, description: "Set when this record was merged into another" })
  @Index()
  @Column({ type: "uuid", nullable: true })
  mergedIntoId: string | null;

  /** Accent-free lower-case "first last organization", maintained by the service for trigram search. */
  @Column({ type: "text", default: "" })
  nameKey: string;

  /** Accent-free lower-case address, maintained by the service for trigram search. */
  @Column({ type: "text", default: "" })
  addressKey: string;

  @Column({ type: "uuid", nullable: true })
  createdById: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;

  @Field(() => Int, { description: "Send back on update; a stale version is refused with CONFLICT" })
  @VersionColumn({ type: "int", default: 1 })
  version: number;

  /** Preloaded by the constituent screen; otherwise resolved in batches. */
  contacts?: import("./contact.entity").Contact[];
}
