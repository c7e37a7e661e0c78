import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { DeductionResult, IndicatorResult } from '@duban/contracts';

const points = { to: (v: number) => v, from: (v: string) => Number(v) };

/** A subject's current score in a scheme, and its rank among the scheme's subjects. */
@Entity('scores')
export class Score {
  @PrimaryColumn({ type: 'uuid' })
  schemeId!: string;

  @PrimaryColumn({ type: 'text' })
  subject!: string;

  @Column({ type: 'numeric', precision: 14, scale: 2, transformer: points })
  total!: number;

  @Column({ type: 'numeric', precision: 14, scale: 2, transformer: points })
  indicatorPoints!: number;

  @Column({ type: 'numeric', precision: 14, scale: 2, transformer: points })
  deductionPoints!: number;

  @Column({ type: 'jsonb' })
  results!: IndicatorResult[];

  @Column({ type: 'jsonb' })
  deductions!: DeductionResult[];

  @Column({ type: 'int' })
  rank!: number;
}
