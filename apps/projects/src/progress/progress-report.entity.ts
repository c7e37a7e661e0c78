import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { numericAsNumber } from '@duban/persistence';
import type { ProgressItem } from './domain/progress-report';

/** 月度进度报告: one per project and month. */
@Entity('progress_reports')
@Index('progress_reports_project_month_uq', ['projectId', 'month'], { unique: true })
export class ProgressReport {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  projectId!: string;

  @Column({ type: 'char', length: 7 })
  month!: string;

  @Column({ type: 'numeric', precision: 15, scale: 2 })
  investmentCompletedWan!: string;

  @Column({ type: 'numeric', precision: 15, scale: 2 })
  cumulativeInvestmentWan!: string;

  @Column({ type: 'numeric', precision: 5, scale: 2, transformer: numericAsNumber })
  physicalProgressPct!: number;

  @Column({ type: 'text' })
  narrative!: string;

  /** 存在问题 and 需协调事项, each open or resolved. */
  @Column({ type: 'jsonb' })
  items!: ProgressItem[];

  @Column({ type: 'text' })
  submittedBy!: string;

  @Column({ type: 'int' })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
