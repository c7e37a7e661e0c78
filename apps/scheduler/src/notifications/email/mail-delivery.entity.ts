import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * One alert event's mail to one recipient, written in the inbox transaction that fans the event
 * out: pending until the first try, failed while retrying, then sent or dead. Redis only holds
 * the job; this row is the truth the sweep resumes from.
 */
@Entity('mail_deliveries')
@Index('mail_deliveries_event_recipient_uq', ['eventId', 'recipient'], { unique: true })
export class MailDelivery {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text' })
  eventType!: string;

  @Column({ type: 'uuid' })
  alertId!: string;

  /** The alert's region: the log is read region by region, like the alerts. */
  @Column({ type: 'text' })
  region!: string;

  @Column({ type: 'text' })
  recipient!: string;

  @Column({ type: 'text' })
  subject!: string;

  /** Not shown in the log: it repeats the alert, which the reader can fetch. */
  @Column({ type: 'text', select: false })
  body!: string;

  @Column({ type: 'text' })
  state!: 'pending' | 'sent' | 'failed' | 'dead';

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  /** A generic reason ("timeout", "SMTP 550", …), never the server's answer. */
  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
