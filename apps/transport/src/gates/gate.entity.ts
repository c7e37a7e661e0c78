import { Column, Entity, Index } from 'typeorm';
import type { TransportGate } from '@duban/contracts';
import { MilestoneColumns } from '@duban/persistence';

/** A gate of 前期工作 (e.g. 工可), one per work and gate: a milestone the scheduler watches. */
@Entity('transport_gates')
@Index('transport_gates_work_gate_uq', ['workId', 'gate'], { unique: true })
export class Gate extends MilestoneColumns {
  @Column({ type: 'uuid' })
  workId!: string;

  @Column({ type: 'text' })
  gate!: TransportGate;
}
