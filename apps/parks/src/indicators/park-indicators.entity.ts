import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { numericAsNumber } from '@duban/persistence';

/** A park's figures for one month (月度指标); a correction replaces them and bumps the version. */
@Entity('park_indicators')
export class ParkIndicators {
  @PrimaryColumn({ type: 'uuid' })
  parkId!: string;

  @PrimaryColumn({ type: 'char', length: 7 })
  month!: string;

  /** 产值 */
  @Column({ type: 'numeric', precision: 15, scale: 2 })
  outputValueWan!: string;

  /** 工业增加值 */
  @Column({ type: 'numeric', precision: 15, scale: 2 })
  industrialValueAddedWan!: string;

  /** 税收 */
  @Column({ type: 'numeric', precision: 15, scale: 2 })
  taxWan!: string;

  /** 固定资产投资 */
  @Column({ type: 'numeric', precision: 15, scale: 2 })
  fixedInvestmentWan!: string;

  @Column({ type: 'int' })
  employees!: number;

  /** The park's areas when reported, so a later change of the park does not rewrite history. */
  @Column({ type: 'numeric', precision: 12, scale: 2, transformer: numericAsNumber })
  plannedAreaMu!: number;

  @Column({ type: 'numeric', precision: 12, scale: 2, transformer: numericAsNumber })
  developedAreaMu!: number;

  @Column({ type: 'numeric', precision: 7, scale: 2, transformer: numericAsNumber })
  occupancyPct!: number;

  /** 亩均税收 */
  @Column({ type: 'numeric', precision: 15, scale: 2 })
  taxPerMuWan!: string;

  @Column({ type: 'text' })
  reportedBy!: string;

  @Column({ type: 'int' })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
