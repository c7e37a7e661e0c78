import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type {
  DeductionDefinition,
  IndicatorDefinition,
  RankingEntry,
  SubjectKind,
} from '@duban/contracts';

/** 考评方案: a period's indicators, targets and weights for a set of peers. */
@Entity('schemes')
@Index('schemes_region_code_uq', ['regionCode', 'code'], { unique: true })
export class Scheme {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  regionCode!: string;

  @Column({ type: 'text' })
  period!: string;

  @Column({ type: 'date' })
  periodStart!: string;

  @Column({ type: 'date' })
  periodEnd!: string;

  @Column({ type: 'text' })
  subjectKind!: SubjectKind;

  @Column({ type: 'jsonb' })
  subjects!: { code: string; name: string }[];

  @Column({ type: 'jsonb' })
  indicators!: IndicatorDefinition[];

  @Column({ type: 'jsonb' })
  deductions!: DeductionDefinition[];

  /** The event measures its indicators and deductions read: what an event must touch. */
  @Column({ type: 'text', array: true })
  measures!: string[];

  @Column({ type: 'text' })
  status!: 'open' | 'closed';

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** The ranking last published, to publish again only when it changes. */
  @Column({ type: 'jsonb' })
  ranking!: RankingEntry[];

  @Column({ type: 'text' })
  createdBy!: string;

  @Column({ type: 'int' })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
