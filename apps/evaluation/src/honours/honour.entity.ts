import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { HonourStatus } from '@duban/contracts';
import type { DeadlineState } from './domain/honour-status';

export interface HonourHistoryEntry {
  from: HonourStatus;
  to: HonourStatus;
  on: string;
  by: string;
  note: string | null;
}

/** 荣誉称号: a title the county keeps (蝉联) or strives for (争创), with its deadlines. */
@Entity('honours')
export class Honour {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  ambition!: 'retain' | 'strive';

  @Column({ type: 'text' })
  level!: 'national' | 'provincial' | 'municipal';

  @Column({ type: 'text' })
  ownerUnit!: string;

  @Column({ type: 'text' })
  regionCode!: string;

  @Column({ type: 'int' })
  targetYear!: number;

  @Column({ type: 'text' })
  status!: HonourStatus;

  @Column({ type: 'jsonb' })
  deadlines!: DeadlineState[];

  @Column({ type: 'jsonb' })
  history!: HonourHistoryEntry[];

  @Column({ type: 'int' })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
