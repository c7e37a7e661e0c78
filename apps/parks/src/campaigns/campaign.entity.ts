import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** 攻坚行动: a campaign such as 园区提质 or 企业满园, led by one unit (牵头单位). */
@Entity('campaigns')
@Index('campaigns_region_name_uq', ['regionCode', 'name'], { unique: true })
export class Campaign {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  regionCode!: string;

  @Column({ type: 'text' })
  leadUnit!: string;

  @Column({ type: 'text' })
  description!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
