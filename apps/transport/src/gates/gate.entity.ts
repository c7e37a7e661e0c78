import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { TransportGate } from '@duban/contracts';
import type { MilestoneChange, MilestoneStatus } from '@duban/milestones';

/** A gate of 前期工作 (e.g. 工可), one per work and gate: a milestone the scheduler watches. */
@Entity('transport_gates')
@Index('transport_gates_work_gate_uq', ['workId', 'gate'], { unique: true })
export class Gate {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  workId!: string;

  @Column({ type: 'text' })
  gate!: TransportGate;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  ownerUnit!: string;

  /** The baseline, never overwritten. */
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
