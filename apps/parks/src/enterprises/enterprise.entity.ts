import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { EnterpriseStatus } from './domain/enterprise-lifecycle';

/** An enterprise settled in a park (入园企业), known by its 统一社会信用代码. */
@Entity('enterprises')
@Index('enterprises_uscc_uq', ['uscc'], { unique: true })
export class Enterprise {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'char', length: 18 })
  uscc!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'uuid' })
  parkId!: string;

  /** The park's region, copied so events and lists need no join. */
  @Column({ type: 'text' })
  regionCode!: string;

  @Column({ type: 'text' })
  industry!: string;

  @Column({ type: 'numeric', precision: 15, scale: 2 })
  investmentWan!: string;

  @Column({ type: 'int' })
  employees!: number;

  /** 规上工业企业 */
  @Column({ type: 'boolean' })
  aboveDesignatedSize!: boolean;

  @Column({ type: 'text' })
  status!: EnterpriseStatus;

  @Column({ type: 'date' })
  statusChangedOn!: string;

  @Column({ type: 'int' })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
