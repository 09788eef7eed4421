import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, VersionColumn } from "typeorm";

export enum RecordsRequestStatus {
  RECEIVED = "RECEIVED",
  PRODUCED = "PRODUCED",
  CLOSED = "CLOSED",
}

registerEnumType(RecordsRequestStatus, {
  name: "RecordsRequestStatus",
  description: "RECEIVED until a package is produced; CLOSED when the request is fulfilled",
});

/** What a records package covers; every part narrows the contacts (all of them given together). */
export interface RecordsScope {
  receivedFrom?: string | null;
  receivedTo?: string | null;
  categoryIds?: string[] | null;
  departmentIds?: string[] | null;
  constituentId?: string | null;
  text?: string | null;
  /** false: the attachments' metadata only, without the files. */
  includeAttachmentFiles?: boolean | null;
}

export interface RecordsCounts {
  contacts: number;
  assignments: number;
  responses: number;
  attachments: number;
  attachmentFiles: number;
  redactions: number;
}

@ObjectType("RecordsRequest", { description: "A public records request and the package that fulfils it" })
@Entity({ name: "records_request" })
export class RecordsRequest {
  @Field(() => ID)
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Field(() => String, { description: "e.g. PRR-26-000012" })
  @Column({ type: "varchar", length: 30, unique: true })
  referenceNumber: string;

  @Field(() => String)
  @Column({ type: "varchar", length: 200 })
  requesterName: string;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 320, nullable: true })
  requesterEmail: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: "varchar", length: 200, nullable: true })
  requesterOrganization: string | null;

  @Field(() => Date)
  @Column({ type: "timestamptz" })
  receivedAt: Date;

  @Field(() => String, { description: "What is asked, in the requester's words" })
  @Column({ type: "varchar", length: 4000 })
  description: string;

  /** Validated by the service; exposed through the resolver as RecordsScope. */
  @Column({ type: "jsonb" })
  scope: RecordsScope;

  @Field(() => Date, { description: "Under the city's policy: business days after receipt" })
  @Index()
  @Column({ type: "timestamptz" })
  dueAt: Date;

  @Field(() => RecordsRequestStatus)
  @Column({ type: "varchar", length: 10, default: RecordsRequestStatus.RECEIVED })
  status: RecordsRequestStatus;

  @Column({ type: "uuid", nullable: true })
  recordedById: string | null;

  @Field(() => Date)
  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  producedAt: Date | null;

  @Column({ type: "uuid", nullable: true })
  producedById: string | null;

  @Column({ type: "varchar", length: 300, nullable: true })
  packageStorageKey: string | null;

  @Field(() => String, { nullable: true, description: "Of the package's bytes" })
  @Column({ type: "char", length: 64, nullable: true })
  packageSha256: string | null;

  @Field(() => Int, { nullable: true })
  @Column({
    type: "bigint",
    nullable: true,
    transformer: { to: (v) => v, from: (v) => (v == null ? null : Number(v)) },
  })
  packageSizeBytes: number | null;

  /** What the last package held; exposed through the resolver. */
  @Column({ type: "jsonb", nullable: true })
  counts: RecordsCounts | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: "timestamptz", nullable: true })
  closedAt: Date | null;

  @Field(() => Int, { description: "Send back on change; a stale version is refused with CONFLICT" })
  @VersionColumn({ type: "int", default: 1 })
  version: number;
}
