import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An event that would have changed a closed scheme: kept on record, changing nothing frozen. */
@Entity('late_events')
export class LateEvent {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  schemeId!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text' })
  eventType!: string;

  @Column({ type: 'timestamptz' })
  eventTime!: Date;

  @Column({ type: 'text' })
  measure!: string;

  @Column({ type: 'text' })
  factKey!: string;

  @Column({ type: 'text' })
  itemCode!: string;

  @Column({ type: 'text' })
  subject!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  recordedAt!: Date;
}
