import { ServiceSchema } from '@duban/persistence';
import { Honour } from './honours/honour.entity';
import { FactRow } from './measures/fact.entity';
import { LateEvent } from './measures/late-event.entity';
import { EvaluationTables1764500000000 } from './migrations/1764500000000-evaluation-tables';
import { FactValidity1764600000000 } from './migrations/1764600000000-fact-validity';
import { FactValidityIntervals1764700000000 } from './migrations/1764700000000-fact-validity-intervals';
import { Scheme } from './schemes/scheme.entity';
import { Actual } from './scoring/actual.entity';
import { Score } from './scoring/score.entity';

/** The evaluation service's own tables; the outbox and inbox are added by the platform. */
export const evaluationSchema: ServiceSchema = {
  entities: [Scheme, FactRow, Actual, Score, LateEvent, Honour],
  migrations: [
    EvaluationTables1764500000000,
    FactValidity1764600000000,
    FactValidityIntervals1764700000000,
  ],
};
