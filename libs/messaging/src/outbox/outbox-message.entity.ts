import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { DubanEvent } from '@duban/contracts';

/** An event waiting to leave (or that left) through the relay. Written in the business transaction. */
@Entity('outbox')
@Index('outbox_unpublished_idx', ['sequence'], { where: 'published_at IS NULL' })
export class OutboxMessage {
  /** Commit order per aggregate follows this sequence (bigint comes back as a string). */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  sequence!: string;

  @Column({ type: 'uuid', unique: true })
  eventId!: string;

  /** Logical topic name; the relay adds the deployment's topic prefix. */
  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'text' })
  aggregateType!: string;

  /** Kafka message key. */
  @Column({ type: 'text' })
  aggregateId!: string;

  @Column({ type: 'text' })
  eventType!: string;

  @Column({ type: 'jsonb' })
  payload!: DubanEvent;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  headers!: Record<string, string>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;
}
