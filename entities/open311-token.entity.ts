import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from "typeorm";

/** The token an Open311 POST answers with, and the request it stands for (GET tokens/{token}). */
@Entity({ name: "open311_token" })
export class Open311Token {
  @PrimaryColumn({ type: "varchar", length: 40 })
  token: string;

  @Index({ unique: true })
  @Column({ type: "uuid" })
  contactId: string;

  @Index()
  @Column({ type: "uuid" })
  apiKeyId: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;
}
