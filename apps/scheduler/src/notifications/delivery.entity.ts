import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One alert event for one subscription: pending until delivered, dead after the last try. */
@Entity('deliveries')
@Index('deliveries_subscription_event_uq', ['subscriptionId', 'eventId'], { unique: true })
export class Delivery {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  subscriptionId!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text' })
  eventType!: string;

  @Column({ type: 'jsonb' })
  payload!: unknown;

  @Column({ type: 'text' })
  state!: 'pending' | 'delivered' | 'dead';

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  /** A generic reason ("timeout", "HTTP 500", …), never a raw error or the receiver's body. */
  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
