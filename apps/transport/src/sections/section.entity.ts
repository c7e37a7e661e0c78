import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { numericAsNumber } from '@duban/persistence';

/** 标段: a section of a work, with its length in whole metres (see mileage/domain/length.ts). */
@Entity('transport_sections')
@Index('transport_sections_work_idx', ['workId'])
export class Section {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  workId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'int' })
  lengthMetres!: number;

  @Column({ type: 'numeric', precision: 5, scale: 2, transformer: numericAsNumber })
  progressPct!: number;

  /** 通车 date; null until the section opens. */
  @Column({ type: 'date', nullable: true })
  openedOn!: string | null;

  @Column({ type: 'int' })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
