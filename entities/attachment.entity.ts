import { Field, ID, Int, ObjectType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

@ObjectType("Attachment", { description: "A letter, fax, photo or response letter" })
@Entity({ name: "attachment" })
export class Attachment {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Index()
  @Column({ type: "uuid", nullable: true })
  contactId: string | null;

  @Index()
  @Column({ type: "uuid", nullable: true })
  responseId: string | null;

  @Field(() => String)
  @Column({ type: "varchar", length: 255 })
  fileName: string;

  @Field(() => String, { description: "Sniffed from the content, not taken from the name" })
  @Column({ type: "varchar", length: 100 })
  contentType: string;

  @Field(() => Int)
  @Column({ type: "int" })
  sizeBytes: number;

  @Field(() => String)
  @Column({ type: "char", length: 64 })
  sha256: string;

  @Column({ type: "varchar", length: 300 })
  storageKey: string;

  @Index()
  @Column({ type: "uuid", nullable: true })
  uploadedById: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;
}
