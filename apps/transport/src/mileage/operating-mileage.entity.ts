import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { numericAsNumber } from '@duban/persistence';
import type { TransportKind } from '@duban/contracts';

/**
 * 通车里程: a region's operating mileage of one kind, in whole metres. The row is the lock that
 * serialises concurrent openings, so each mileage-changed event carries the true total.
 */
@Entity('operating_mileage')
export class OperatingMileage {
  @PrimaryColumn({ type: 'text' })
  regionCode!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: TransportKind;

  /** Open before the system existed, as an admin recorded it. */
  @Column({ type: 'bigint', transformer: numericAsNumber })
  baselineMetres!: number;

  /** The sum of the sections opened through the system. */
  @Column({ type: 'bigint', transformer: numericAsNumber })
  openedMetres!: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
