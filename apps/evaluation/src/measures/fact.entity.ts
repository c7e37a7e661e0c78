import { Column, Entity, PrimaryColumn } from 'typeorm';

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

  /** A flow's date; a stock's day of entering the counted state. */
  @Column({ type: 'date' })
  factDate!: string;

  /** A stock's day of leaving the counted state (exclusive); null while in it, and for flows. */
  @Column({ type: 'date', nullable: true })
  validUntil!: string | null;

  @Column({ type: 'numeric' })
  numerator!: string;

  @Column({ type: 'numeric' })
  denominator!: string;

  @Column({ type: 'int', nullable: true })
  version!: number | null;

  @Column({ type: 'uuid' })
  eventId!: string;
}
