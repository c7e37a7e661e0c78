import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { AlertFilter } from './domain/filter';

/** A webhook that receives alert events, signed with its own secret. */
@Entity('subscriptions')
export class Subscription {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  url!: string;

  /** HMAC-SHA256 key; shown once, when the subscription is created. */
  @Column({ type: 'text', select: false })
  secret!: string;

  @Column({ type: 'jsonb' })
  filter!: AlertFilter;

  @Column({ type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** Circuit breaker: failed attempts in a row, and until when deliveries wait (null: closed). */
  @Column({ type: 'int', default: 0 })
  consecutiveFailures!: number;

  @Column({ type: 'timestamptz', nullable: true })
  pausedUntil!: Date | null;
}
