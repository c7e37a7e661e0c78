import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { TransportKind } from '@duban/contracts';

// bigint comes back from pg as a string; metres stay far below 2^53.
const metres = { to: (v: number) => v, from: (v: string) => Number(v) };

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
  @Column({ type: 'bigint', transformer: metres })
  baselineMetres!: number;

  /** The sum of the sections opened through the system. */
  @Column({ type: 'bigint', transformer: metres })
  openedMetres!: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
