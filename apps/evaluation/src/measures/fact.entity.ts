import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ValidInterval } from '../schemes/domain/period';

/** The latest fact per (measure, key), whatever scheme reads it: a new scheme starts from these. */
@Entity('facts')
export class FactRow {
  @PrimaryColumn({ type: 'text' })
  measure!: string;

  @PrimaryColumn({ type: 'text' })
  factKey!: string;

  @Column({ type: 'text', nullable: true })
  unit!: string | null;

  @Column({ type: 'text' })
  region!: string;

  /** A flow's date; a stock's day of first entering the counted state. */
  @Column({ type: 'date' })
  factDate!: string;

  /**
   * A stock's intervals in the counted state, `[from, until]` pairs of dates in order (`until`
   * exclusive, null while still in it); empty for flows.
   */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  validity!: ValidInterval[];

  @Column({ type: 'numeric' })
  numerator!: string;

  @Column({ type: 'numeric' })
  denominator!: string;

  @Column({ type: 'int', nullable: true })
  version!: number | null;

  @Column({ type: 'uuid' })
  eventId!: string;
}
