import { Field, Float, ID, ObjectType } from "type-graphql";
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Category } from "./category.entity";
import { Constituent } from "./constituent.entity";
import { Channel, Language } from "./enums";

@ObjectType("Contact", { description: "One inquiry, however it arrived" })
@Entity({ name: "contact" })
export class Contact {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => String, { description: "Human-friendly, e.g. STAR-26-000123" })
  @Column({ type: "varchar", length: 30, unique: true })
  referenceNumber: string;

  @Field(() => Channel)
  @Column({ type: "varchar", length: 20 })
  channel: Channel;

  @Field(() => Date, { description: "When the call was made or the letter arrived" })
  @Column({ type: "timestamptz" })
  receivedAt: Date;

  @Field(() => Date)
  @Column({ type: "timestamptz", default: () => "now()" })
  enteredAt: Date;

  @Index()
  @Column({ type: "uuid", nullable: true })
  enteredById: string | null;

  @Index()
  @Column({ type: "uuid" })
  categoryId: string;

  @ManyToOne(() => Category, { nullable: false })
  @JoinColumn({ name: "category_id" })
  category?: Category;

  @Field(() => String)
  @Column({ type: "varchar", length: 4000 })
  description: string;

  @Field(() => String, { nullable: true, description: "Where the issue is" })
  @Column({ type: "varchar", length: 300, nullable: true })
  locationAddress: string | null;

  @Field(() => Float, { nullable: true })
  @Column({ type: "double precision", nullable: true })
  locationLat: number | null;

  @Field(() => Float, { nullable: true })
  @Column({ type: "double precision", nullable: true })
  locationLong: number | null;

  /** Null when the request is confidential: no name or address is stored for it. */
  @Index()
  @Column({ type: "uuid", nullable: true })
  constituentId: string | null;

  @ManyToOne(() => Constituent, { nullable: true })
  @JoinColumn({ name: "constituent_id" })
  constituent?: Constituent | null;

  @Field(() => Boolean)
  @Column({ type: "boolean", default: false })
  confidential: boolean;

  @Field(() => Language)
  @Column({ type: "varchar", length: 5, default: Language.EN })
  language: Language;

  @Index()
  @Column({ type: "uuid", nullable: true })
  duplicateOfId: string | null;

  @Field(() => Boolean, {
    description: "The constituent was told the contact may be released as a public record",
  })
  @Column({ type: "boolean", default: false })
  publicRecordNoticeGiven: boolean;

  /** Preloaded by the constituent screen; otherwise resolved in batches. */
  assignments?: import("./assignment.entity").Assignment[];
  attachments?: import("./attachment.entity").Attachment[];
}
