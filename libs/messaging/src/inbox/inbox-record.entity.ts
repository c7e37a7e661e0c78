import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One row per event a consumer has applied: written in the same transaction as the effect. */
@Entity('inbox')
export class InboxRecord {
  @PrimaryColumn({ type: 'text' })
  consumer!: string;

  @PrimaryColumn({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'int' })
  partition!: number;

  @Column({ type: 'bigint' })
  offset!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  processedAt!: Date;
}
