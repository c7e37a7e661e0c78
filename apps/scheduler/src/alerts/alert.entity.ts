import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export interface AlertHistoryEntry {
  at: string;
  kind:
    | 'raised'
    | 'severity-changed'
    | 'escalated'
    | 'acknowledged'
    | 'resolved'
    | 'reminded'
    | 'commitment-missed'
    | 'closed'
    | 'reopened';
  detail: string;
}

/**
 * One live (open or acknowledged) alert per milestone and rule: a partial unique index keeps it
 * so across restarts and replicas. Resolved alerts (awaiting verification) and closed ones stay
 * as history; the rule firing again meanwhile raises a new alert.
 */
@Entity('alerts')
@Index('alerts_one_open_uq', ['milestoneId', 'rule'], {
  unique: true,
  where: "state NOT IN ('resolved', 'closed')",
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

  /** 承诺办结日期 of the latest acknowledgement. */
  @Column({ type: 'date', nullable: true })
  commitDate!: string | null;

  /** Reminders (催办) sent so far. */
  @Column({ type: 'int', default: 0 })
  reminderCount!: number;

  /** Where the reminder clock starts: raised, last reminded, acknowledged or re-opened. */
  @Column({ type: 'timestamptz' })
  remindSince!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** Who verified it (销号); null on a closed alert = closed automatically. */
  @Column({ type: 'text', nullable: true })
  closedBy!: string | null;

  /** The supervisor's note on the latest close or re-open. */
  @Column({ type: 'text', nullable: true })
  verificationNote!: string | null;

  @Column({ type: 'jsonb' })
  history!: AlertHistoryEntry[];
}
