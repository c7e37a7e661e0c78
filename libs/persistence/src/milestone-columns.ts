import { Column, CreateDateColumn, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { MilestoneChange, MilestoneStatus } from '@duban/milestones';

/**
 * The columns of every stored milestone (a project's milestone, a campaign task, a transport
 * gate): the state `@duban/milestones` rules over. Each entity extends this and adds what ties
 * it to its owner; its table is its own.
 */
export abstract class MilestoneColumns {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  ownerUnit!: string;

  /** The baseline (基准日期), never overwritten. */
  @Column({ type: 'date' })
  plannedDate!: string;

  @Column({ type: 'date' })
  currentPlannedDate!: string;

  @Column({ type: 'date', nullable: true })
  forecastDate!: string | null;

  @Column({ type: 'date', nullable: true })
  actualDate!: string | null;

  @Column({ type: 'text' })
  status!: MilestoneStatus;

  @Column({ type: 'jsonb' })
  history!: MilestoneChange[];

  @Column({ type: 'int' })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
