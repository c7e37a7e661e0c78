import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SilenceSubjectType } from './domain/silence';

/** A supervisor's bounded pause of notification and escalation for a subject or a unit. */
@Entity('silences')
export class Silence {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  subjectType!: SilenceSubjectType;

  @Column({ type: 'uuid', nullable: true })
  subjectId!: string | null;

  @Column({ type: 'text', nullable: true })
  unit!: string | null;

  @Column({ type: 'text' })
  region!: string;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  state!: 'active' | 'ended';

  @Column({ type: 'text' })
  createdBy!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  endedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  endReason!: 'expired' | 'deleted' | null;
}
