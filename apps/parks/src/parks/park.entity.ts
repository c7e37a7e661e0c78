import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { numericAsNumber } from '@duban/persistence';
import type { Designation } from '@duban/contracts';

/** 园区: an industrial park, run by its managing unit (园区管委会). */
@Entity('parks')
@Index('parks_region_name_uq', ['regionCode', 'name'], { unique: true })
export class Park {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  regionCode!: string;

  /** "2+1" 主导产业 */
  @Column({ type: 'text' })
  leadIndustry!: 'textile-shoes-apparel' | 'health-food' | 'new-energy-batteries' | 'other';

  /** 规划面积, mu */
  @Column({ type: 'numeric', precision: 12, scale: 2, transformer: numericAsNumber })
  plannedAreaMu!: number;

  /** 已开发面积, mu */
  @Column({ type: 'numeric', precision: 12, scale: 2, transformer: numericAsNumber })
  developedAreaMu!: number;

  @Column({ type: 'text' })
  managingUnit!: string;

  /** Titles earned, oldest first. */
  @Column({ type: 'jsonb' })
  designations!: Designation[];

  @Column({ type: 'int' })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
