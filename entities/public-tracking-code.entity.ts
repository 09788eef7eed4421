import { Column, CreateDateColumn, Entity, PrimaryColumn } from "typeorm";

/** The hash of the tracking code printed on a public receipt; the code itself is never stored. */
@Entity({ name: "public_tracking_code" })
export class PublicTrackingCode {
  @PrimaryColumn({ type: "uuid" })
  contactId: string;

  @Column({ type: "char", length: 64 })
  codeHash: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;
}
