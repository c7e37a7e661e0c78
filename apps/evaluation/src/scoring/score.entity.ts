import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericAsNumber } from '@duban/persistence';
import type { DeductionResult, IndicatorResult } from '@duban/contracts';

/** A subject's current score in a scheme, and its rank among the scheme's subjects. */
@Entity('scores')
export class Score {
  @PrimaryColumn({ type: 'uuid' })
  schemeId!: string;

  @PrimaryColumn({ type: 'text' })
  subject!: string;

  @Column({ type: 'numeric', precision: 14, scale: 2, transformer: numericAsNumber })
  total!: number;

  @Column({ type: 'numeric', precision: 14, scale: 2, transformer: numericAsNumber })
  indicatorPoints!: number;

  @Column({ type: 'numeric', precision: 14, scale: 2, transformer: numericAsNumber })
  deductionPoints!: number;

  @Column({ type: 'jsonb' })
  results!: IndicatorResult[];

  @Column({ type: 'jsonb' })
  deductions!: DeductionResult[];

  @Column({ type: 'int' })
  rank!: number;
}
