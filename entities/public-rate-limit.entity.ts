import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** Hits per client address (as a keyed hash) per fixed window, shared by every app node. */
@Entity({ name: "public_rate_limit" })
export class PublicRateLimit {
  @PrimaryColumn({ type: "varchar", length: 10 })
  bucket: string;

  @PrimaryColumn({ type: "char", length: 64 })
  clientHash: string;

  @Index()
  @PrimaryColumn({ type: "timestamptz" })
  windowStart: Date;

  @Column({ type: "int", default: 0 })
  hits: number;
}
