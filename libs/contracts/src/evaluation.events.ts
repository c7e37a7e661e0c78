import { EventDefinition } from './event-definition';

/** Evaluation (考评): schemes, scores, rankings, period close and honours: the events the evaluation service publishes or accepts. */
export const EVALUATION_EVENT_DEFINITIONS: readonly EventDefinition[] = [];
