import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The park directory, learnt from duban.parks.v1: a project may link only a park known here. */
@Entity('known_parks')
export class KnownPark {
  @PrimaryColumn({ type: 'uuid' })
  parkId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  regionCode!: string;

  @Column({ type: 'text' })
  managingUnit!: string;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
