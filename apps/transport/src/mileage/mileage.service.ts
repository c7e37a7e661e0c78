import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  MileageBaselineBody,
  TRANSPORT_KINDS,
  Topics,
  TransportEventTypes,
  TransportKind,
  createEvent,
} from '@duban/contracts';
import { addToOutbox } from '@duban/messaging';
import { inTransaction } from '@duban/persistence';
import { kmToMetres, metresToKm, operatingMetres } from './domain/length';
import { OperatingMileage } from './operating-mileage.entity';

export interface MileageView {
  kind: TransportKind;
  operatingKm: number;
  baselineKm: number;
  openedKm: number;
}

/** 通车里程 per region and kind: a baseline an admin records plus every section opened. */
@Injectable()
export class MileageService {
  constructor(private readonly ds: DataSource) {}

  /** Every kind of the region, zero where nothing is open. */
  async ofRegion(regionCode: string): Promise<{ regionCode: string; items: MileageView[] }> {
    const rows = await this.ds.manager.findBy(OperatingMileage, { regionCode });
    const items = TRANSPORT_KINDS.map((kind) =>
      view(rows.find((r) => r.kind === kind) ?? { kind, baselineMetres: 0, openedMetres: 0 }),
    );
    return { regionCode, items };
  }

  /** Records mileage open before the system; an unchanged baseline changes (and emits) nothing. */
  setBaseline(body: MileageBaselineBody): Promise<MileageView> {
    const metres = kmToMetres(body.baselineKm, 'baselineKm');
    return inTransaction(this.ds, async (m) => {
      const row = await this.locked(m, body.regionCode, body.kind);
      const change = metres - row.baselineMetres;
      if (change === 0) return view(row);
      row.baselineMetres = metres;
      return this.save(m, row, change);
    });
  }

  /** Adds an opened section's length, in the caller's transaction. */
  async addOpened(
    m: EntityManager,
    regionCode: string,
    kind: TransportKind,
    metres: number,
  ): Promise<MileageView> {
    const row = await this.locked(m, regionCode, kind);
    row.openedMetres += metres;
    return this.save(m, row, metres);
  }

  /** The row, created at zero if new and locked: concurrent changes of one kind queue here. */
  private async locked(
    m: EntityManager,
    regionCode: string,
    kind: TransportKind,
  ): Promise<OperatingMileage> {
    await m.query(
      `INSERT INTO operating_mileage (region_code, kind, baseline_metres, opened_metres)
       VALUES ($1, $2, 0, 0) ON CONFLICT DO NOTHING`,
      [regionCode, kind],
    );
    return m.findOneOrFail(OperatingMileage, {
      where: { regionCode, kind },
      lock: { mode: 'pessimistic_write' },
    });
  }

  private async save(
    m: EntityManager,
    row: OperatingMileage,
    changeMetres: number,
  ): Promise<MileageView> {
    await m.save(row);
    const after = view(row);
    const event = createEvent({
      type: TransportEventTypes.mileageChanged,
      service: 'transport',
      subject: `${row.regionCode}:${row.kind}`,
      region: row.regionCode,
      data: {
        regionCode: row.regionCode,
        kind: row.kind,
        operatingKm: after.operatingKm,
        changeKm: metresToKm(changeMetres),
      },
    });
    await addToOutbox(m, Topics.transport, [event]);
    return after;
  }
}

function view(
  row: Pick<OperatingMileage, 'kind' | 'baselineMetres' | 'openedMetres'>,
): MileageView {
  return {
    kind: row.kind,
    operatingKm: metresToKm(operatingMetres(row)),
    baselineKm: metresToKm(row.baselineMetres),
    openedKm: metresToKm(row.openedMetres),
  };
}
