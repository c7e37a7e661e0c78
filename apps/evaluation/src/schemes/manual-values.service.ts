import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ManualValuesBody, RuleViolation } from '@duban/contracts';
import { Principal, actorName, assertMayActFor } from '@duban/auth';
import { inTransaction } from '@duban/persistence';
import { Clock } from '@duban/platform';
import { Actual } from '../scoring/actual.entity';
import { ScoringService } from '../scoring/scoring.service';
import { checkManualValues } from './domain/manual-values';
import { writableScheme } from './access';

/** Values of manual indicators (e.g. GDP from the statistics bureau), posted by their owner. */
@Injectable()
export class ManualValuesService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly scoring: ScoringService,
  ) {}

  record(actor: Principal, schemeId: string, body: ManualValuesBody) {
    return inTransaction(this.ds, async (m) => {
      // Unit codes repeat in every county: STATS of one county never posts into another's.
      const scheme = await writableScheme(m, actor, schemeId);
      const values = checkManualValues(scheme, body);
      for (const v of values) {
        if (v.indicator.source.kind === 'manual')
          assertMayActFor(actor, v.indicator.source.ownerUnit);
      }
      if (scheme.status === 'closed') {
        throw new RuleViolation(
          `scheme ${schemeId} is closed: its results are frozen`,
          'conflict',
          {
            closedAt: scheme.closedAt,
          },
        );
      }
      const recordedAt = this.clock.now();
      for (const v of values) {
        await m.save(Actual, {
          schemeId,
          itemCode: v.indicator.code,
          subject: v.subject,
          numerator: v.value,
          denominator: '0',
          recordedBy: actorName(actor),
          recordedAt,
        });
      }
      await this.scoring.rescore(m, scheme, new Set(values.map((v) => v.subject)));
      return { schemeId, recorded: values.length };
    });
  }
}
