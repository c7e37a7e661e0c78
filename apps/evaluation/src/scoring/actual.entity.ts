import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A subject's actual for one indicator or deduction of a scheme: sums over facts kept up to
 * date by delta, or the manual value last posted. Absent means zero (events) or unknown (manual).
 */
@Entity('actuals')
export class Actual {
  @PrimaryColumn({ type: 'uuid' })
  schemeId!: string;

  @PrimaryColumn({ type: 'text' })
  itemCode!: string;

  @PrimaryColumn({ type: 'text' })
  subject!: string;

  @Column({ type: 'numeric' })
  numerator!: string;

  @Column({ type: 'numeric' })
  denominator!: string;

  @Column({ type: 'text', nullable: true })
  recordedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  recordedAt!: Date | null;
}
