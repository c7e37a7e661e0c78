import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export interface AlertHistoryEntry {
  at: string;
  kind: 'raised' | 'severity-changed' | 'escalated' | 'acknowledged' | 'resolved';
  detail: string;
}

/**
 * One open alert per milestone and rule: a partial unique index keeps it so across restarts
 * and replicas. Resolved alerts stay as history.
 */
@Entity('alerts')
@Index('alerts_one_open_uq', ['milestoneId', 'rule'], {
  unique: true,
  where: "state <> 'resolved'",
})
export class Alert {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  milestoneId!: string;

  @Column({ type: 'text' })
  rule!: 'overdue' | 'forecast-slip' | 'behind-pace' | 'report-missing';

  @Column({ type: 'text' })
  severity!: 'info' | 'minor' | 'major' | 'critical';

  @Column({ type: 'text' })
  state!: 'open' | 'acknowledged' | 'resolved' | 'closed';

  @Column({ type: 'int' })
  escalationLevel!: 0 | 1 | 2;

  /** When the alert reached its current escalation level. */
  @Column({ type: 'timestamptz' })
  levelSince!: Date;

  @Column({ type: 'text' })
  subjectType!: 'project' | 'park' | 'campaign-task' | 'transport-work' | 'honour';

  @Column({ type: 'uuid' })
  subjectId!: string;

  @Column({ type: 'text' })
  milestoneName!: string;

  @Column({ type: 'text' })
  ownerUnit!: string;

  @Column({ type: 'text' })
  region!: string;

  @Column({ type: 'date' })
  currentPlannedDate!: string;

  @Column({ type: 'date', nullable: true })
  forecastDate!: string | null;

  @Column({ type: 'int' })
  daysOverdue!: number;

  @Column({ type: 'timestamptz' })
  raisedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  acknowledgedBy!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  resolution!: string | null;

  @Column({ type: 'jsonb' })
  history!: AlertHistoryEntry[];
}
