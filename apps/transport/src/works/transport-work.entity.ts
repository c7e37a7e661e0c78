import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { TransportKind } from '@duban/contracts';
import type { TransportPhase } from './domain/phase';

/** 交通建设项目: a transport work, owned by its lead unit (牵头单位). */
@Entity('transport_works')
@Index('transport_works_region_name_uq', ['regionCode', 'name'], { unique: true })
export class TransportWork {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  kind!: TransportKind;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  regionCode!: string;

  @Column({ type: 'text' })
  leadUnit!: string;

  @Column({ type: 'numeric', precision: 15, scale: 2 })
  plannedInvestmentWan!: string;

  @Column({ type: 'text' })
  phase!: TransportPhase;

  @Column({ type: 'int' })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
