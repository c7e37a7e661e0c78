import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ProjectStatus } from './domain/project-status';

/** 重点项目: a key project, owned by its lead unit (牵头单位). */
@Entity('projects')
@Index('projects_region_code_uq', ['regionCode', 'code'], { unique: true })
export class Project {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  category!: string;

  @Column({ type: 'text' })
  level!: 'national' | 'provincial' | 'municipal' | 'county';

  @Column({ type: 'text' })
  leadUnit!: string;

  /** 包抓领导 */
  @Column({ type: 'text' })
  responsibleLeader!: string;

  @Column({ type: 'text' })
  township!: string;

  @Column({ type: 'text' })
  regionCode!: string;

  @Column({ type: 'numeric', precision: 15, scale: 2 })
  totalPlannedInvestmentWan!: string;

  @Column({ type: 'numeric', precision: 15, scale: 2 })
  annualPlannedInvestmentWan!: string;

  @Column({ type: 'date' })
  plannedStartDate!: string;

  @Column({ type: 'date' })
  plannedEndDate!: string;

  @Column({ type: 'uuid', nullable: true })
  parkId!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ type: 'text' })
  status!: ProjectStatus;

  /** The state a suspended (停缓建) project resumes to. */
  @Column({ type: 'text', nullable: true })
  suspendedFrom!: ProjectStatus | null;

  @Column({ type: 'int' })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
